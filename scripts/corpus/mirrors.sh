# Mirror paths of the corpus (bare git dirs from the `fetch` tool), sourced by run-all.sh.
M=${MIRRORS:-/work/.mirror}
MAIN_REPOS="prometheus-community+helm-charts grafana+helm-charts grafana-community+helm-charts bitnami+charts argoproj+argo-helm open-telemetry+opentelemetry-helm-charts jetstack+cert-manager kubernetes+ingress-nginx traefik+traefik-helm-chart elastic+helm-charts jaegertracing+helm-charts ray-project+kuberay-helm fluent+helm-charts kedacore+charts external-secrets+external-secrets hashicorp+vault-helm kubernetes-sigs+external-dns"
# Only a source of dependencies (redis-ha for argo-cd, opensearch for opentelemetry-demo, ...).
DEP_REPOS="DandyDeveloper+charts opensearch-project+helm-charts external-secrets+bitwarden-sdk-server kyverno+api"
# Held out: measured only at the end.
HOLDOUT_REPOS="kubernetes-sigs+metrics-server kyverno+kyverno stakater+Reloader goharbor+harbor-helm"
main_mirrors() { for r in $MAIN_REPOS; do echo "$M/$r/repo"; done; }
dep_mirrors() { for r in $DEP_REPOS $MAIN_REPOS; do echo "--dep-mirror $M/$r/repo"; done; }
holdout_mirrors() { for r in $HOLDOUT_REPOS; do echo "$M/$r/repo"; done; }
