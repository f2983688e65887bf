{{- define "platform.summary" -}}
{{- $root := . -}}
{{- range $name, $sub := .Subcharts }}
{{ $name }}: {{ $sub.Chart.Name }}@{{ $sub.Chart.Version }} values={{ keys $sub.Values | sortAlpha | join "," }}
{{- end }}
{{- end -}}
