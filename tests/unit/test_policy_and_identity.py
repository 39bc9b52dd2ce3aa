"""Configurable pipeline rules, PRC resident ID numbers and certificate rules."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from datetime import date
from typing import Any

import pytest

from capeval.states.certificates import expiry_date, registration_number
from capeval.states.errors import InputError
from capeval.states.identity import id_number_digest, mask_id_number, normalize_id_number
from capeval.states.policy import PipelinePolicy

# --- PipelinePolicy ------------------------------------------------------------------------------
EXPECTED_DEFAULTS: dict[str, tuple[Any, str]] = {
    "self_statement_min_chars": (2000, "Q&A Q9"),
    "self_statement_max_chars": (4000, "Q&A Q9"),
    "required_evidence": (("id_card_front", "id_card_back", "education"), "Q&A Q11"),
    "international_required_evidence": (("title_proof",), "Q&A Q29"),
    "resubmission_working_days": (10, "Q&A Q19"),
    "certificate_validity_years": (5, "Q&A Q27"),
    "accept_concurrent_membership": (False, "Q&A Q6"),
}


@pytest.mark.parametrize("rule", sorted(EXPECTED_DEFAULTS))
def test_policy_default_is_the_number_of_its_source(rule: str) -> None:
    default, source = EXPECTED_DEFAULTS[rule]
    described = {entry["rule"]: entry for entry in PipelinePolicy().describe()}[rule]
    assert getattr(PipelinePolicy(), rule) == default
    assert described["value"] == described["default"] == default
    assert described["source"].startswith(source)
    assert described["meaning"]


def test_every_policy_rule_names_its_source_and_meaning() -> None:
    for entry in PipelinePolicy().describe():
        assert entry["source"].strip(), entry["rule"]
        assert entry["meaning"].strip(), entry["rule"]


def test_a_rule_the_sources_are_silent_on_says_so() -> None:
    sources = {entry["rule"]: entry["source"] for entry in PipelinePolicy().describe()}
    assert "silent" in sources["supplement_working_days"]


def test_describe_reports_an_override_next_to_its_default() -> None:
    entry = {e["rule"]: e for e in PipelinePolicy(resubmission_working_days=15).describe()}["resubmission_working_days"]
    assert (entry["value"], entry["default"]) == (15, 10)


def test_from_mapping_with_no_overrides_gives_the_defaults() -> None:
    assert PipelinePolicy.from_mapping({}) == PipelinePolicy()


def test_from_mapping_overrides_only_the_named_rules() -> None:
    policy = PipelinePolicy.from_mapping(
        {"self_statement_min_chars": 1500, "required_evidence": ["id_card_front"], "accept_concurrent_membership": True}
    )
    assert policy.self_statement_min_chars == 1500
    assert policy.required_evidence == ("id_card_front",)
    assert policy.accept_concurrent_membership is True
    assert policy.self_statement_max_chars == 4000
    assert policy.resubmission_working_days == 10


def test_from_mapping_refuses_an_unknown_rule_and_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"cces\.toml: unknown rule 'statement_length'.*self_statement_min_chars"):
        PipelinePolicy.from_mapping({"statement_length": 3}, origin="cces.toml")


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ("self_statement_min_chars", "2000", "whole number"),
        ("self_statement_min_chars", 2000.0, "whole number"),
        ("self_statement_min_chars", True, "whole number"),
        ("resubmission_working_days", -1, "whole number"),
        ("accept_concurrent_membership", 1, "true or false"),
        ("accept_concurrent_membership", "yes", "true or false"),
        ("required_evidence", "education", "list of strings"),
        ("required_evidence", ["education", 3], "list of strings"),
    ],
)
def test_from_mapping_refuses_a_wrong_type_naming_the_rule(rule: str, value: Any, expected: str) -> None:
    with pytest.raises(InputError, match=f"rule '{rule}' must be (a )?{expected}"):
        PipelinePolicy.from_mapping({rule: value})


def test_from_mapping_refuses_a_minimum_above_the_maximum() -> None:
    with pytest.raises(InputError, match="self_statement_min_chars is larger than self_statement_max_chars"):
        PipelinePolicy.from_mapping({"self_statement_min_chars": 4001})


def test_from_mapping_accepts_a_minimum_equal_to_the_maximum() -> None:
    policy = PipelinePolicy.from_mapping({"self_statement_min_chars": 3000, "self_statement_max_chars": 3000})
    assert (policy.self_statement_min_chars, policy.self_statement_max_chars) == (3000, 3000)


def test_from_toml_reads_the_pipeline_table() -> None:
    text = """
        [pipeline]
        resubmission_working_days = 15
        international_required_evidence = ["title_proof", "award"]

        [other]
        ignored = true
    """
    policy = PipelinePolicy.from_toml(text, origin="cces.toml")
    assert policy.resubmission_working_days == 15
    assert policy.international_required_evidence == ("title_proof", "award")
    restored = dataclasses.replace(
        policy, resubmission_working_days=10, international_required_evidence=("title_proof",)
    )
    assert restored == PipelinePolicy()


def test_from_toml_without_a_pipeline_table_gives_the_defaults() -> None:
    assert PipelinePolicy.from_toml("", origin="empty.toml") == PipelinePolicy()


def test_from_toml_refuses_invalid_toml_naming_the_file() -> None:
    with pytest.raises(InputError, match=r"cces\.toml: not valid TOML \(.*line 1"):
        PipelinePolicy.from_toml("[pipeline\nx = 1", origin="cces.toml")


def test_from_toml_refuses_a_pipeline_that_is_not_a_table() -> None:
    with pytest.raises(InputError, match=r"cces\.toml: \[pipeline\] must be a table"):
        PipelinePolicy.from_toml("pipeline = 3", origin="cces.toml")


def test_from_toml_refuses_an_unknown_rule_naming_the_file() -> None:
    with pytest.raises(InputError, match=r"cces\.toml: unknown rule 'min_chars'"):
        PipelinePolicy.from_toml("[pipeline]\nmin_chars = 10", origin="cces.toml")


def test_from_toml_refuses_a_wrong_type() -> None:
    with pytest.raises(InputError, match="rule 'certificate_validity_years' must be a whole number"):
        PipelinePolicy.from_toml('[pipeline]\ncertificate_validity_years = "5"', origin="cces.toml")


def test_from_toml_refuses_a_minimum_above_the_maximum() -> None:
    with pytest.raises(InputError, match="larger than"):
        PipelinePolicy.from_toml(
            "[pipeline]\nself_statement_min_chars = 3000\nself_statement_max_chars = 2500", origin="cces.toml"
        )


# --- Resident ID numbers (GB 11643-1999) ---------------------------------------------------------
KNOWN_VALID = "11010519491231002X"
KEY = b"a key of at least thirty-two characters, for these tests"


def with_check_character(first17: str) -> str:
    """The check character of GB 11643-1999, computed here independently of the code under test."""
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def test_the_independent_check_helper_agrees_with_the_published_example() -> None:
    assert with_check_character(KNOWN_VALID[:17]) == KNOWN_VALID


def test_a_known_valid_id_number_passes() -> None:
    assert normalize_id_number(KNOWN_VALID) == KNOWN_VALID


def test_a_lower_case_x_and_surrounding_spaces_are_normalized() -> None:
    assert normalize_id_number(f"  {KNOWN_VALID.lower()}\n") == KNOWN_VALID


@pytest.mark.parametrize("wrong", ["110105194912310020", "110105194912310021", "110105194912310029"])
def test_a_wrong_check_character_is_refused(wrong: str) -> None:
    with pytest.raises(InputError, match="check character is wrong"):
        normalize_id_number(wrong)


@pytest.mark.parametrize("wrong", ["", KNOWN_VALID[:17], KNOWN_VALID + "1", "11010519491231002Y", "1101051949123100X2"])
def test_a_wrong_length_or_form_is_refused(wrong: str) -> None:
    with pytest.raises(InputError, match="must be 18 characters"):
        normalize_id_number(wrong)


@pytest.mark.parametrize("birth", ["19490230", "19491301", "20230229", "19490000"])
def test_an_impossible_birth_date_is_refused_even_with_a_correct_check_character(birth: str) -> None:
    number = with_check_character(f"110105{birth}002")
    with pytest.raises(InputError, match=f"impossible birth date \\({birth}\\)"):
        normalize_id_number(number)


def test_a_leap_day_birth_date_is_possible() -> None:
    number = with_check_character("11010520000229001")
    assert normalize_id_number(number) == number


def test_the_digest_is_hmac_sha256_keyed_over_the_sha256_of_the_normalized_number() -> None:
    plain = hashlib.sha256(KNOWN_VALID.encode("ascii")).hexdigest()
    assert id_number_digest(KNOWN_VALID, KEY) == hmac.new(KEY, plain.encode("ascii"), hashlib.sha256).hexdigest()
    assert id_number_digest(KNOWN_VALID, KEY) == id_number_digest(KNOWN_VALID, KEY)


def test_the_digest_does_not_depend_on_the_case_of_x() -> None:
    assert id_number_digest(KNOWN_VALID.lower(), KEY) == id_number_digest(KNOWN_VALID, KEY)


def test_different_people_get_different_digests() -> None:
    other = with_check_character("11010519800101001")
    assert id_number_digest(other, KEY) != id_number_digest(KNOWN_VALID, KEY)


def test_the_digest_refuses_an_invalid_number() -> None:
    with pytest.raises(InputError):
        id_number_digest("110105194912310020", KEY)


def test_the_mask_shows_only_the_area_code() -> None:
    masked = mask_id_number(KNOWN_VALID.lower())
    assert masked == "110105" + "*" * 12
    assert "19491231" not in masked and not masked.endswith("X")


# --- Certificates (Q&A Q27, Q28) -----------------------------------------------------------------
def test_a_five_year_certificate_ends_the_day_before_the_fifth_anniversary() -> None:
    assert expiry_date(date(2026, 3, 10), 5) == date(2031, 3, 9)


def test_a_certificate_issued_on_29_february_ends_on_28_february_of_a_common_year() -> None:
    assert expiry_date(date(2024, 2, 29), 5) == date(2029, 2, 28)


def test_a_certificate_issued_on_29_february_ends_on_28_february_of_a_leap_year() -> None:
    assert expiry_date(date(2024, 2, 29), 4) == date(2028, 2, 28)


def test_a_certificate_issued_on_1_january_ends_on_31_december() -> None:
    assert expiry_date(date(2026, 1, 1), 5) == date(2030, 12, 31)


def test_registration_number_has_society_field_year_and_five_digit_sequence() -> None:
    assert registration_number("cces", "civil", 2026, 7) == "CE-CCES-CIVI-2026-00007"


def test_registration_numbers_match_the_published_scheme() -> None:
    pattern = re.compile(r"^CE-[A-Z0-9]+-[A-Z0-9]{1,4}-\d{4}-\d{5}$")
    for society, field, sequence in [("CES", "ict", 1), ("csme", "mechanical", 99999), ("CIE", "ee", 42)]:
        assert pattern.match(registration_number(society, field, 2026, sequence))


def test_registration_numbers_differ_by_sequence_and_year() -> None:
    numbers = {registration_number("CCES", "civil", year, seq) for year in (2026, 2027) for seq in (1, 2)}
    assert len(numbers) == 4
