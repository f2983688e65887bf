{{- define "guards.validate" -}}
{{- $msgs := list -}}
{{- if not (has .Values.mode (list "standard" "ha")) -}}
{{- $msgs = append $msgs (printf "mode: must be standard or ha, got %q" .Values.mode) -}}
{{- end -}}
{{- if and (eq .Values.mode "ha") (lt (int .Values.replicas) 3) -}}
{{- $msgs = append $msgs "replicas: ha mode needs at least 3" -}}
{{- end -}}
{{- if $msgs -}}
{{- printf "\nVALUES VALIDATION:\n%s" (join "\n" $msgs) | fail -}}
{{- end -}}
{{- end -}}
