"""The UN list writes several aliases in one ALIAS_NAME; each is a name of its own (UN 2018 excerpts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.un_consolidated import alias_names


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        # QDe.137, as the UN writes it (line breaks and all)
        (
            "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام\n    (original script); Hay’at Tahrir al-Sham; "
            "Hayat\n    Tahrir al-Sham; Tahrir al-Sham Hay’at) ",
            [
                "Hay’at Tahrir al-Sham (HTS)",
                "هيئة تحرير الشام",
                "Hay’at Tahrir al-Sham",
                "Hayat Tahrir al-Sham",
                "Tahrir al-Sham Hay’at",
            ],
        ),
        (
            "جبهة النصرة (the Victory Front; Jabhat al-Nusrah;\n Al-Nusra Front)",
            ["جبهة النصرة", "the Victory Front", "Jabhat al-Nusrah", "Al-Nusra Front"],
        ),
        ("Fazel Rahim; Fazil Rahim", ["Fazel Rahim", "Fazil Rahim"]),
        ("عبدالله السندي (Abdullah Sindhi)", ["عبدالله السندي", "Abdullah Sindhi"]),  # another script
        (
            "شبكة أنصار المجاهدين (Ansar al-Mujahideen Network -\n sub-unit name)",
            ["شبكة أنصار المجاهدين", "Ansar al-Mujahideen Network"],
        ),
        # a bracket of one name in the same script is a remark and stays
        ("(Sheikh) Musa Hilal", ["(Sheikh) Musa Hilal"]),
        ("El Para (combat name) ", ["El Para (combat name)"]),
        ("Al Qa’ida/Islamic Army", ["Al Qa’ida/Islamic Army"]),
        ("Al Kawthar Company ", ["Al Kawthar Company"]),
    ],
)
def test_each_alias_a_name_of_its_own(raw: str, names: list[str]) -> None:
    assert alias_names(raw) == names


@given(st.text(alphabet=st.sampled_from("ab حم ;()-\n"), max_size=40))
def test_alias_names_are_whole_names(raw: str) -> None:
    names = alias_names(raw)
    assert len(names) == len(set(names))
    for name in names:
        assert name
        assert name == " ".join(name.split())
        # no name is cut inside a bracket, and none holds a list of names outside one
        depth = 0
        for char in name:
            depth += (char == "(") - (char == ")" and depth > 0)
            assert not (char == ";" and depth == 0)
