{{- define "x" -}}
{{ if .Values.a }}
unclosed
{{- end -}}
