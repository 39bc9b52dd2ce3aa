"""Delivery settings: doubling back-off with a cap, validated overrides, stable Message-IDs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from capeval.states.delivery import DeliveryPolicy, message_id
from capeval.states.errors import InputError
from capeval.states.policy import PipelinePolicy


def test_the_wait_doubles_after_each_failed_attempt_up_to_the_cap() -> None:
    policy = DeliveryPolicy(backoff_base_seconds=60, backoff_max_seconds=300)
    assert [policy.retry_delay(n) for n in (1, 2, 3, 4, 40)] == [
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
        timedelta(seconds=300),
        timedelta(seconds=300),
    ]


def test_overrides_come_from_the_delivery_table_and_bad_ones_name_the_setting() -> None:
    policy = DeliveryPolicy.from_toml(
        "[delivery]\nmax_attempts = 3\n[pipeline]\nsupplement_working_days = 15\n", origin="p.toml"
    )
    assert policy.max_attempts == 3 and policy.lease_seconds == 300
    with pytest.raises(InputError, match="p.toml: unknown delivery setting 'retries'"):
        DeliveryPolicy.from_mapping({"retries": 3}, origin="p.toml")
    with pytest.raises(InputError, match="'lease_seconds' must be a whole number >= 1"):
        DeliveryPolicy.from_mapping({"lease_seconds": 0}, origin="p.toml")


def test_every_setting_says_the_sources_are_silent() -> None:
    assert all("sources are silent" in row["source"] for row in DeliveryPolicy().describe())


def test_the_lapse_warning_window_is_a_pipeline_rule_of_two_working_days_by_default() -> None:
    rule = next(row for row in PipelinePolicy().describe() if row["rule"] == "lapse_warning_working_days")
    assert rule["value"] == 2 and "sources silent" in rule["source"]
    assert PipelinePolicy.from_mapping({"lapse_warning_working_days": 3}).lapse_warning_working_days == 3


def test_a_message_id_depends_only_on_the_dedupe_key_and_domain() -> None:
    first = message_id("application:1:v2:application.submit:5", "des.example.cn")
    assert first == message_id("application:1:v2:application.submit:5", "des.example.cn")
    assert first != message_id("application:1:v3:application.submit:5", "des.example.cn")
    assert first.startswith("<") and first.endswith("@des.example.cn>")
