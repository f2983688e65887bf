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

import helm_python as h

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "create":
    h.Chart.create(args[1], args[0])
elif cmd == "package":
    print(h.package(args[0], destination=args[1], version=args[2]))
elif cmd == "push":
    h.push(args[0], args[1], plain_http=True)
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
elif cmd == "dep-update":
    h.dependency_update(args[0], plain_http=True)
elif cmd == "dep-build":
    h.dependency_build(args[0], plain_http=True)
else:
    sys.exit(f"unknown command {cmd}")
