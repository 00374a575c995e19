"""Bad configuration fails with one message naming the channel, the variable and what to check."""

from __future__ import annotations

import pytest

from connectors.core.errors import ConfigurationError
from connectors.registry import CONNECTORS
from tests.connectors.conftest import WINDOW
from tests.connectors.ingestion import FAST

WRONG_CREDENTIALS = {
    "hotline": ("HOTLINE_CLIENT_SECRET", "HOTLINE_CLIENT_ID / HOTLINE_CLIENT_SECRET"),
    "city_mgmt": ("CITY_MGMT_API_KEY", "CITY_MGMT_API_KEY"),
    "opinion": ("OPINION_TOKEN", "OPINION_TOKEN"),
    "minsheng": ("MINSHENG_SECRET", "MINSHENG_APP_ID / MINSHENG_SECRET"),
}
URL_VARIABLES = {
    key: setting.variable
    for key, cls in CONNECTORS.items()
    for setting in cls.settings
    if setting.variable.endswith("_BASE_URL")
}


def first_batch(channel: str, env: dict[str, str]):
    connector = CONNECTORS[channel].from_env(env, FAST)
    return next(iter(connector.fetch(window=WINDOW if connector.windowed else None, cursor=None)), None)


@pytest.mark.parametrize("channel", sorted(WRONG_CREDENTIALS))
def test_wrong_credentials_name_the_channel_and_the_variables_to_check(channel, simulate):
    variable, named = WRONG_CREDENTIALS[channel]
    sim = simulate()
    with pytest.raises(ConfigurationError) as caught:
        first_batch(channel, {**sim.env, variable: "wrong"})
    message = str(caught.value)
    assert message.startswith(f"[{channel}] ") and f"check {named}" in message and "\n" not in message


@pytest.mark.parametrize("channel", sorted(URL_VARIABLES))
def test_an_unreachable_url_names_the_channel_and_its_url_variable(channel):
    variable = URL_VARIABLES[channel]
    with pytest.raises(ConfigurationError, match=rf"^\[{channel}\] cannot connect .*\(check {variable}:"):
        first_batch(channel, {variable: "http://127.0.0.1:9"})


def test_a_url_that_is_not_http_is_refused_before_any_request():
    with pytest.raises(ConfigurationError, match=r"\[opinion\] 'ftp://x' is not an http\(s\) URL \(check OPINION"):
        first_batch("opinion", {"OPINION_BASE_URL": "ftp://x"})


def test_every_setting_defaults_to_the_built_in_simulator():
    for cls in CONNECTORS.values():
        config = cls.from_env({}).config
        for setting in cls.settings:
            assert config[setting.variable], setting.variable
    assert CONNECTORS["petition"].from_env({"ZHIHUI_HOME": "/srv/zh"}).config == {
        "PETITION_DROP_DIR": "/srv/zh/simulator/petition_drop"
    }
