{{- define "deeperr.outer" -}}
outer:
{{ include "deeperr.middle" . | indent 2 }}
{{- end -}}
{{- define "deeperr.middle" -}}
{{- range .Values.items }}
- {{ include "deeperr.inner" . }}
{{- end }}
{{- end -}}
{{- define "deeperr.inner" -}}
{{ .name }}:{{ .port | required (printf "port for %s" .name) }}
{{- end -}}
{{- define "deeperr.badcall" -}}
{{ index .Values.items 5 }}
{{- end -}}
{{- define "deeperr.nilptr" -}}
{{ .Values.missing.deeper.value }}
{{- end -}}
{{- define "deeperr.badfunc" -}}
{{ .Values.which | int | div 1 }}
{{- end -}}
