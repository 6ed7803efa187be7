"""Production settings: secure by default when neither debug, demo nor tests are on."""

import json
import os
import subprocess
import sys


def _settings_in_fresh_process(env: dict) -> dict:
    code = (
        "import json, trede.config.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TREDE_", "PYTEST"))}
    out = subprocess.run([sys.executable, "-c", code], env=clean | env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_is_https_only(tmp_path):
    s = _settings_in_fresh_process({"TREDE_SECRET_KEY": "x" * 50, "TREDE_VAR_DIR": str(tmp_path)})
    assert s == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_demo_runs_on_plain_http(tmp_path):
    s = _settings_in_fresh_process({"TREDE_DEMO": "1", "TREDE_VAR_DIR": str(tmp_path)})
    assert s["SECURE_SSL_REDIRECT"] is False and s["SESSION_COOKIE_SECURE"] is False


def test_production_without_secret_key_refuses_to_start(tmp_path):
    code = "import trede.config.settings"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TREDE_", "PYTEST"))}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"TREDE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode != 0 and "TREDE_SECRET_KEY" in out.stderr
