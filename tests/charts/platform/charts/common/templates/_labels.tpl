{{- define "common.labels" -}}
app.kubernetes.io/name: {{ include "common.names.name" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- range $k, $v := .Values.global.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}
{{- define "common.image" -}}
{{- $reg := .global.imageRegistry | default .image.registry -}}
{{ $reg }}/{{ .image.repository }}:{{ .image.tag | toString }}
{{- end -}}
