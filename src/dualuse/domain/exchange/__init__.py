"""Exchange between national deployments: the signed document envelope and the rules of trust
(Reg. (EU) 2021/821 Arts. 14, 16, 4-8 and 23(6))."""

from dualuse.domain.exchange.envelope import (
    SCHEMA,
    DocumentError,
    DocumentKind,
    Envelope,
    canonical_bytes,
    format_instant,
    parse,
    unsigned_document,
    with_signature,
)
from dualuse.domain.exchange.trust import (
    BadSignatureError,
    ExchangeRefusedError,
    KeyNotValidError,
    NotAddressedError,
    PublicKey,
    ReplayedDocumentError,
    SignatureScheme,
    StaleDocumentError,
    UnknownKeyError,
    Window,
    WrongSenderError,
    check,
)

__all__ = [
    "SCHEMA",
    "BadSignatureError",
    "DocumentError",
    "DocumentKind",
    "Envelope",
    "ExchangeRefusedError",
    "KeyNotValidError",
    "NotAddressedError",
    "PublicKey",
    "ReplayedDocumentError",
    "SignatureScheme",
    "StaleDocumentError",
    "UnknownKeyError",
    "Window",
    "WrongSenderError",
    "canonical_bytes",
    "check",
    "format_instant",
    "parse",
    "unsigned_document",
    "with_signature",
]
