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

{{- define "perses.labels" -}}
helm.sh/chart: {{ include "perses.chart" . }}
{{ include "perses.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
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
The Perses image. A digest pins the exact image, so it wins over the tag.
*/}}
{{- define "perses.image" -}}
{{- $repo := .Values.image.name }}
{{- with .Values.image.registry }}
{{- $repo = printf "%s/%s" . $repo }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (.Values.image.version | default .Chart.AppVersion) }}
{{- end }}
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
The provisioning folder that the sidecar and provisioningPersistence fill:
the first of config.provisioning.folders.
*/}}
{{- define "perses.provisioningFolder" -}}
{{- $p := .Values.config.provisioning | default dict }}
{{- $folders := $p.folders | default list }}
{{- if $folders }}
{{- first $folders }}
{{- else }}
{{- fail "config.provisioning.folders is empty, but the sidecar or provisioningPersistence needs a folder to write to." }}
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
The Secret holding envVars: secret.name, else the deprecated
envVarsExternalSecretName, else the full name. Empty when there is none.
*/}}
{{- define "perses.envSecretName" -}}
{{- if .Values.secret.name }}
{{- .Values.secret.name }}
{{- else if .Values.envVarsExternalSecretName }}
{{- .Values.envVarsExternalSecretName }}
{{- else if and .Values.secret.create .Values.envVars }}
{{- include "perses.fullname" . }}
{{- end }}
{{- end }}

{{/*
Does the chart create the envVars Secret? Not when the user points at an
existing one.
*/}}
{{- define "perses.createEnvSecret" -}}
{{- if and .Values.secret.create .Values.envVars (not .Values.envVarsExternalSecretName) }}true{{ end }}
{{- end }}

{{- define "perses.tlsSecretName" -}}
{{- .secretName | default (printf "%s-tls" .fullname) }}
{{- end }}

{{/*
A persistent volume claim spec, shared by the StatefulSet's
volumeClaimTemplates and the standalone provisioning PVC of the Deployment.
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

{{- define "perses.gatewayName" -}}
{{- .Values.gateway.name | default (printf "%s-gateway" (include "perses.fullname" .)) }}
{{- end }}
