"""Push a chart whose manifest declares a layer larger than pchart's
limit (the blob itself is small): usage oversized.py HOST ARCHIVE."""
import hashlib
import json
import sys
import urllib.request

host, archive = sys.argv[1], sys.argv[2]
base = f"http://{host}/v2/charts/big"


def upload(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    r = urllib.request.urlopen(urllib.request.Request(base + "/blobs/uploads/", method="POST"))
    loc = r.headers["Location"]
    if loc.startswith("/"):
        loc = f"http://{host}{loc}"
    sep = "&" if "?" in loc else "?"
    urllib.request.urlopen(
        urllib.request.Request(loc + sep + "digest=" + d, data=data, method="PUT",
                               headers={"Content-Type": "application/octet-stream"}))
    return d


cfg = b"{}"
layer = open(archive, "rb").read()
m = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": upload(cfg), "size": len(cfg)},
    "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                "digest": upload(layer), "size": 200 * 1024 * 1024}],
}
urllib.request.urlopen(urllib.request.Request(
    base + "/manifests/0.1.0", data=json.dumps(m).encode(), method="PUT",
    headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"}))
