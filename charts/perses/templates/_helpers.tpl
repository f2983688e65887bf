{{/*
Names. Kubernetes names are at most 63 characters (DNS-1123 labels), hence
the trunc; a trailing "-" left by the cut is not allowed either.
*/}}
{{- define "perses.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name: fullnameOverride, else the release name when it already
contains the chart name (release "perses" gives "perses", not
"perses-perses"), else <release>-<chart>.
*/}}
{{- define "perses.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "perses.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels never change over the life of a release: a workload's
selector is immutable, so nothing version-dependent goes in here.
*/}}
{{- define "perses.selectorLabels" -}}
app.kubernetes.io/name: {{ include "perses.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The version label follows image.version, like the upstream chart's, so a
pinned older Perses is labelled with what runs.
*/}}
{{- define "perses.labels" -}}
helm.sh/chart: {{ include "perses.chart" . }}
{{ include "perses.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.version | default .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ include "perses.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.additionalLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "perses.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "perses.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Perses image: <registry>/<name>:<version>, plus @<digest> when set.
The runtime pulls by the digest and ignores the tag; the tag stays for
readers (and matches the upstream chart's reference).
*/}}
{{- define "perses.image" -}}
{{- $repo := .Values.image.name }}
{{- with .Values.image.registry }}
{{- $repo = printf "%s/%s" . $repo }}
{{- end }}
{{- $ref := printf "%s:%s" $repo (.Values.image.version | default .Chart.AppVersion) }}
{{- with .Values.image.digest }}
{{- $ref = printf "%s@%s" $ref . }}
{{- end }}
{{- $ref }}
{{- end }}

{{/*
The sidecar image; its registry defaults to the Perses image's.
*/}}
{{- define "perses.sidecarImage" -}}
{{- $img := .Values.sidecar.image }}
{{- $ref := printf "%s/%s:%s" ($img.registry | default .Values.image.registry) $img.repository (toString $img.tag) }}
{{- with $img.digest }}
{{- $ref = printf "%s@%s" $ref . }}
{{- end }}
{{- $ref }}
{{- end }}

{{/*
Storage mode: "file" or "sql". Perses itself refuses a config with both
("you cannot tel to Perses to use SQL and the filesystem at the same time"),
so we stop at render time instead of shipping a pod that crash-loops.
Because values.yaml sets database.file, SQL users must write `file: null`.
*/}}
{{- define "perses.storageMode" -}}
{{- $db := .Values.config.database | default dict }}
{{- if and $db.file $db.sql }}
{{- fail "config.database: both `file` and `sql` are set, but Perses uses exactly one storage. For SQL (a Deployment) add `file: null` under config.database; for file storage (a StatefulSet) remove `sql`." }}
{{- else if $db.sql }}
{{- print "sql" }}
{{- else if $db.file }}
{{- print "file" }}
{{- else }}
{{- fail "config.database: set `file` (file storage, a StatefulSet) or `sql` (a Deployment)." }}
{{- end }}
{{- end }}

{{/*
The provisioning folder that the sidecar and provisioningPersistence fill,
and where ociArtifacts mounts without a mountPath: the first of
config.provisioning.folders. The failure names what needs it.
*/}}
{{- define "perses.provisioningFolder" -}}
{{- $p := .Values.config.provisioning | default dict }}
{{- $folders := $p.folders | default list }}
{{- if $folders }}
{{- first $folders }}
{{- else }}
{{- $needs := list }}
{{- if .Values.sidecar.enabled }}{{ $needs = append $needs "the sidecar (sidecar.enabled) writes into it" }}{{ end }}
{{- if .Values.provisioningPersistence.enabled }}{{ $needs = append $needs "provisioningPersistence mounts its volume there" }}{{ end }}
{{- if and .Values.ociArtifacts (not (.Values.ociArtifacts | default dict).mountPath) }}{{ $needs = append $needs "ociArtifacts has no mountPath and mounts at the first folder" }}{{ end }}
{{- fail (printf "config.provisioning.folders is empty, but a provisioning folder is needed: %s." (join "; " $needs)) }}
{{- end }}
{{- end }}

{{/*
Is a provisioning volume mounted at the first provisioning folder? The
sidecar needs one to write into, provisioningPersistence is one.
*/}}
{{- define "perses.provisioningVolume" -}}
{{- if or .Values.sidecar.enabled .Values.provisioningPersistence.enabled }}true{{ end }}
{{- end }}

{{/*
OCI artifacts: checks, then the volume name. Returns "" when ociArtifacts
is empty (the default).
*/}}
{{- define "perses.ociArtifacts.name" -}}
{{- with .Values.ociArtifacts }}
{{- if eq (include "perses.storageMode" $) "sql" }}
{{- fail "ociArtifacts is only supported with file storage (config.database.file): in SQL mode the chart renders a Deployment without the artifact volume (the upstream chart silently drops it there, so the resources in the image would never be provisioned). Use file storage, or provision through the sidecar or provisioningPersistence." }}
{{- end }}
{{- $_ := required "ociArtifacts.image.reference is required: the OCI image or artifact holding the Perses resources, e.g. registry.example.com/perses-resources:v1.0.0" (dig "image" "reference" "" .) }}
{{- $mountPath := include "perses.ociArtifacts.mountPath" $ }}
{{- if and (include "perses.provisioningVolume" $) (eq $mountPath (include "perses.provisioningFolder" $)) }}
{{- fail (printf "ociArtifacts.mountPath %s is also where the sidecar/provisioningPersistence volume is mounted, and Kubernetes rejects two mounts at one path. Mount the artifact at another folder and list both in config.provisioning.folders." $mountPath) }}
{{- end }}
{{- .name | default "oci-artifacts" }}
{{- end }}
{{- end }}

{{/*
Where the artifact is mounted: ociArtifacts.mountPath, else the first
provisioning folder, which is where Perses reads from.
*/}}
{{- define "perses.ociArtifacts.mountPath" -}}
{{- .Values.ociArtifacts.mountPath | default (include "perses.provisioningFolder" .) }}
{{- end }}

{{/*
Is the env Secret managed outside the chart? Then envVars only name the
variables to read from it.
*/}}
{{- define "perses.externalEnvSecret" -}}
{{- if or (not .Values.secret.create) .Values.envVarsExternalSecretName }}true{{ end }}
{{- end }}

{{/*
The Secret holding the env vars: secret.name, else the deprecated
envVarsExternalSecretName, else the full name.
*/}}
{{- define "perses.envSecretName" -}}
{{- .Values.secret.name | default .Values.envVarsExternalSecretName | default (include "perses.fullname" .) }}
{{- end }}

{{/*
The env vars Perses reads from the Secret, as a YAML list of {name, value}:
envVars first, then, when the chart owns the Secret and authentication is
on, PERSES_SECURITY_AUTHENTICATION_PROVIDERS_<OIDC|OAUTH>_<i>_CLIENT_<ID|SECRET>
for each provider (so client secrets can live in the Secret; an envVars
entry of the same name wins). Perses maps PERSES_<YAML_PATH> onto its config.
*/}}
{{- define "perses.envVars" -}}
{{- /* A name given twice is one variable, the last value winning: two
Secret keys of one name would not parse, two env entries of one name are a
duplicate. */}}
{{- $names := list }}
{{- $seen := dict }}
{{- range .Values.envVars }}
{{- if and (kindIs "map" .) .name }}
{{- if not (hasKey $seen (toString .name)) }}
{{- $names = append $names (toString .name) }}
{{- end }}
{{- $_ := set $seen (toString .name) . }}
{{- end }}
{{- end }}
{{- $vars := list }}
{{- range $names }}
{{- $vars = append $vars (get $seen .) }}
{{- end }}
{{- $security := .Values.config.security | default dict }}
{{- $providers := dig "authentication" "providers" dict $security }}
{{- if and $security.enable_auth (not (include "perses.externalEnvSecret" .)) }}
{{- range $kind := list "oidc" "oauth" }}
{{- range $i, $p := (get $providers $kind | default list) }}
{{- range $field := list "client_id" "client_secret" }}
{{- $name := printf "PERSES_SECURITY_AUTHENTICATION_PROVIDERS_%s_%d_%s" (upper $kind) $i (upper $field) }}
{{- if not (hasKey $seen $name) }}
{{- $vars = append $vars (dict "name" $name "value" (get $p $field | default "")) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $vars }}
{{- end }}

{{/*
The Secret's key for an env var: the name in kebab case, as the upstream
chart stores it (an existing Secret written for that chart keeps working).
*/}}
{{- define "perses.envKey" -}}
{{- kebabcase . }}
{{- end }}

{{- define "perses.tlsSecretName" -}}
{{- .secretName | default (printf "%s-tls" .fullname) }}
{{- end }}

{{/*
A persistent volume claim spec, shared by the data PVC, the StatefulSet's
provisioning volumeClaimTemplate and the Deployment's provisioning PVC.
Argument: the persistence values (accessModes, storageClass, size).
*/}}
{{- define "perses.pvcSpec" -}}
accessModes:
  {{- toYaml .accessModes | nindent 2 }}
{{- with .storageClass }}
storageClassName: {{ . | quote }}
{{- end }}
resources:
  requests:
    storage: {{ .size | quote }}
{{- end }}

{{/*
The sidecar watches another namespace than its own when allNamespaces is on
or extraEnvVars sets NAMESPACE: then it needs a ClusterRole.
*/}}
{{- define "perses.sidecarClusterScope" -}}
{{- $custom := false }}
{{- range .Values.sidecar.extraEnvVars }}
{{- if eq (toString .name) "NAMESPACE" }}
{{- $custom = true }}
{{- end }}
{{- end }}
{{- if or .Values.sidecar.allNamespaces $custom }}true{{ end }}
{{- end }}

{{/*
The namespaces the sidecar watches, in words: extraEnvVars' NAMESPACE (a
comma-separated list, or ALL) wins over allNamespaces.
*/}}
{{- define "perses.sidecarWatched" -}}
{{- $ns := ternary "ALL" .Release.Namespace .Values.sidecar.allNamespaces }}
{{- range .Values.sidecar.extraEnvVars }}
{{- if and (eq (toString .name) "NAMESPACE") (kindIs "string" .value) }}
{{- $ns = .value }}
{{- end }}
{{- end }}
{{- if eq $ns "ALL" }}all namespaces{{ else }}namespace {{ $ns }}{{ end }}
{{- end }}

{{/*
Where Perses looks for plugins (config.plugin.path, default
/etc/perses/plugins); an emptyDir there, as the root filesystem is
read-only.
*/}}
{{- define "perses.pluginsPath" -}}
{{- dig "plugin" "path" "/etc/perses/plugins" .Values.config }}
{{- end }}

{{- define "perses.gatewayName" -}}
{{- .Values.gateway.name | default (printf "%s-gateway" (include "perses.fullname" .)) }}
{{- end }}
