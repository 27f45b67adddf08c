"""The exchange between national deployments (issue 18 item 4; Reg. (EU) 2021/821 Arts. 14, 16, 4-8, 23(6)):
``keys`` (this deployment's signing keys and its trusted peers), ``outbox`` (``publish``, ``send_pending``),
``inbox`` (``accept``, ``received``), ``payloads`` (the schema of each kind). Kept free of imports (the unit of
work imports ``ports``): import the modules."""
