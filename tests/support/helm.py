"""Real Helm (helm-python-sdk) as the reference for pchart's remote tests.

usage: helm.py COMMAND ARGS...
  create DIR NAME                     a chart scaffolded by Helm
  package CHART_DIR DEST VERSION      prints the archive path
  push ARCHIVE oci://HOST/PATH        plain HTTP
  pull REF VERSION DEST [REPO_URL]    prints nothing; archive in DEST
  index DIR BASE_URL                  writes DIR/index.yaml
  render CHART                        the manifests as helm template prints them, JSON
  dep-update CHART_DIR | dep-build CHART_DIR
"""
import json
import os
import sys

import atexit
import shutil
import tempfile

# Helm's own cache, configuration and data in a fresh folder: no state
# from the machine (added repositories, cached indexes) leaks in.
_home = tempfile.mkdtemp(prefix="pchart-helm-")
atexit.register(shutil.rmtree, _home, True)
for _k in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
    os.environ[_k] = os.path.join(_home, _k.lower())

import helm_python as h  # noqa: E402

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "create":
    h.Chart.create(args[1], args[0])
elif cmd == "package":
    print(h.package(args[0], destination=args[1], version=args[2]))
elif cmd == "push":
    h.push(args[0], args[1], plain_http=True)
elif cmd == "login-push":
    # ARCHIVE oci://HOST/PATH HOST USER PASS CREDENTIALS_FILE: Helm logs in
    # (writing its registry config) and pushes.
    c = h.RegistryClient(plain_http=True, credentials_file=args[5])
    c.login(args[2], args[3], args[4], plain_http=True)
    c.push(args[0], args[1], plain_http=True)
elif cmd == "pull":
    os.makedirs(args[2], exist_ok=True)
    kw = {"repo_url": args[3]} if len(args) > 3 else {"plain_http": True}
    h.pull(args[0], version=args[1] or None, destination=args[2], **kw)
elif cmd == "index":
    h.repo_index_generate(args[0], base_url=args[1] or None)
elif cmd == "render":
    cfg = h.Config(storage_driver="memory")
    r = cfg.install(args[0], "release-name", {}, namespace="default", dry_run="client")
    print(json.dumps(r["manifest"]))
elif cmd in ("dep-update", "dep-build"):
    f = h.dependency_update if cmd == "dep-update" else h.dependency_build
    try:
        f(args[0], plain_http=True)
    except h.HelmError as e:
        print(e)
        sys.exit(3)
else:
    sys.exit(f"unknown command {cmd}")
