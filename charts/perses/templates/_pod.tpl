{{/*
The pod template, shared by the StatefulSet (file storage) and the
Deployment (SQL storage) so the two modes cannot drift apart. Printed at
column 0; the workloads indent it under `template:`.
*/}}
{{- define "perses.podTemplate" -}}
{{- $mode := include "perses.storageMode" . }}
{{- $ociName := include "perses.ociArtifacts.name" . }}
{{- $provisioningFolder := "" }}
{{- if include "perses.provisioningVolume" . }}
{{- $provisioningFolder = include "perses.provisioningFolder" . }}
{{- end }}
{{- $envVars := include "perses.envVars" . | fromYamlArray }}
{{- $envSecret := include "perses.envSecretName" . }}
{{- $fullname := include "perses.fullname" . -}}
metadata:
  labels:
    {{- include "perses.selectorLabels" . | nindent 4 }}
  annotations:
    {{- /* A changed config.yaml changes this hash, which rolls the pods:
    Perses reads its config only at start. */}}
    checksum/config: {{ include (print $.Template.BasePath "/config.yaml") . | sha256sum }}
    {{- if and $envVars (not (include "perses.externalEnvSecret" .)) }}
    checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
    {{- end }}
    {{- if .Values.datasources }}
    checksum/datasources: {{ include (print $.Template.BasePath "/datasources.yaml") . | sha256sum }}
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "perses.serviceAccountName" . }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with (.Values.podSecurityContext | default .Values.persistence.securityContext) }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    {{- if .Values.sidecar.enabled }}
    {{- /* The sidecar copies labelled ConfigMaps into the provisioning
    folder; Perses picks them up at the next provisioning interval. */}}
    {{- /* extraEnvVars win over the chart's own variables: a name set in
    both would otherwise appear twice, and which one the container gets
    depends on the runtime. */}}
    {{- $extra := dict }}
    {{- range .Values.sidecar.extraEnvVars }}
    {{- $_ := set $extra (toString .name) true }}
    {{- end }}
    {{- $env := list (dict "name" "LABEL" "value" .Values.sidecar.label) (dict "name" "LABEL_VALUE" "value" .Values.sidecar.labelValue) (dict "name" "FOLDER" "value" $provisioningFolder) (dict "name" "HEALTH_PORT" "value" (toString .Values.sidecar.healthPort)) }}
    {{- /* Without NAMESPACE the sidecar watches its own namespace. */}}
    {{- if .Values.sidecar.allNamespaces }}
    {{- $env = append $env (dict "name" "NAMESPACE" "value" "ALL") }}
    {{- end }}
    {{- /* Without RESOURCE it reads ConfigMaps only. */}}
    {{- if .Values.sidecar.enableSecretAccess }}
    {{- $env = append $env (dict "name" "RESOURCE" "value" "both") }}
    {{- end }}
    - name: {{ .Chart.Name }}-provisioning-sidecar
      image: {{ include "perses.sidecarImage" . | quote }}
      env:
        {{- range $env }}
        {{- if not (hasKey $extra .name) }}
        - name: {{ .name }}
          value: {{ .value | quote }}
        {{- end }}
        {{- end }}
        {{- with .Values.sidecar.extraEnvVars }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.sidecar.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.sidecar.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: provisioning
          mountPath: {{ $provisioningFolder }}
    {{- end }}
    - name: {{ .Chart.Name }}
      image: {{ include "perses.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args:
        - --config=/etc/perses/config/config.yaml
        - --web.listen-address=:{{ .Values.service.targetPort }}
        - --web.hide-port=false
        - --web.telemetry-path={{ .Values.config.api_prefix }}/metrics
        - --log.level={{ .Values.logLevel }}
        - --log.method-trace=true
        {{- range $flag, $value := .Values.extraArgs }}
        {{- if kindIs "invalid" $value }}
        - --{{ $flag }}
        {{- else if eq (toString $value) "" }}
        - --{{ $flag }}
        {{- else }}
        - --{{ $flag }}={{ tpl (toString $value) $ }}
        {{- end }}
        {{- end }}
      {{- with $envVars }}
      env:
        {{- range . }}
        - name: {{ .name }}
          valueFrom:
            secretKeyRef:
              name: {{ $envSecret }}
              key: {{ include "perses.envKey" .name }}
        {{- end }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ .Values.service.targetPort }}
          protocol: TCP
      {{- range $probe := list "livenessProbe" "readinessProbe" }}
      {{- $p := index $.Values $probe }}
      {{- if $p.enabled }}
      {{ $probe }}:
        httpGet:
          path: {{ $.Values.config.api_prefix }}/api/v1/health
          port: http
          scheme: HTTP
        initialDelaySeconds: {{ $p.initialDelaySeconds }}
        periodSeconds: {{ $p.periodSeconds }}
        timeoutSeconds: {{ $p.timeoutSeconds }}
        successThreshold: {{ $p.successThreshold }}
        failureThreshold: {{ $p.failureThreshold }}
      {{- end }}
      {{- end }}
      {{- with .Values.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: config
          mountPath: /etc/perses/config
          readOnly: true
        {{- if eq $mode "file" }}
        - name: data
          mountPath: {{ .Values.config.database.file.folder }}
        {{- if .Values.datasources }}
        - name: datasources
          mountPath: /etc/perses/datasources
        {{- end }}
        {{- else }}
        - name: storage
          mountPath: /etc/perses/storage
        {{- end }}
        - name: plugins
          mountPath: {{ include "perses.pluginsPath" . }}
        {{- if $provisioningFolder }}
        - name: provisioning
          mountPath: {{ $provisioningFolder }}
        {{- end }}
        {{- if $ociName }}
        {{- /* Image volumes are read-only whatever we say; saying it keeps
        the manifest honest. subPath on an image volume needs Kubernetes
        1.33+, and containerd before 2.2 silently ignores it. */}}
        - name: {{ $ociName }}
          mountPath: {{ include "perses.ociArtifacts.mountPath" . }}
          {{- with .Values.ociArtifacts.subPath }}
          subPath: {{ . }}
          {{- end }}
          readOnly: true
        {{- end }}
        {{- if .Values.tls.enabled }}
        {{- if .Values.tls.caCert.enabled }}
        - name: ca-cert
          mountPath: {{ .Values.tls.caCert.mountPath }}
          readOnly: true
        {{- end }}
        {{- if .Values.tls.clientCert.enabled }}
        - name: client-cert
          mountPath: {{ .Values.tls.clientCert.mountPath }}
          readOnly: true
        {{- end }}
        {{- end }}
        {{- with .Values.volumeMounts }}
        {{- tpl (toYaml .) $ | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ $fullname }}
        defaultMode: 420
    {{- if eq $mode "file" }}
    {{- /* File storage keeps its data on the PVC of pvc.yaml when
    persistence is enabled, else on an emptyDir. */}}
    - name: data
      {{- if .Values.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ $fullname }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- if .Values.datasources }}
    - name: datasources
      configMap:
        name: {{ $fullname }}-datasources
    {{- end }}
    {{- else }}
    - name: storage
      emptyDir: {}
    {{- end }}
    - name: plugins
      emptyDir: {}
    {{- if $provisioningFolder }}
    {{- if not .Values.provisioningPersistence.enabled }}
    - name: provisioning
      emptyDir: {}
    {{- else if eq $mode "sql" }}
    - name: provisioning
      persistentVolumeClaim:
        claimName: {{ $fullname }}-provisioning
    {{- end }}
    {{- end }}
    {{- if $ociName }}
    - name: {{ $ociName }}
      image:
        reference: {{ .Values.ociArtifacts.image.reference | quote }}
        {{- with .Values.ociArtifacts.image.pullPolicy }}
        pullPolicy: {{ . }}
        {{- end }}
    {{- end }}
    {{- if .Values.tls.enabled }}
    {{- if .Values.tls.caCert.enabled }}
    - name: ca-cert
      secret:
        secretName: {{ include "perses.tlsSecretName" (dict "secretName" .Values.tls.caCert.secretName "fullname" $fullname) }}
        defaultMode: 420
    {{- end }}
    {{- if .Values.tls.clientCert.enabled }}
    - name: client-cert
      secret:
        secretName: {{ include "perses.tlsSecretName" (dict "secretName" .Values.tls.clientCert.secretName "fullname" $fullname) }}
        defaultMode: 420
    {{- end }}
    {{- end }}
    {{- with .Values.volumes }}
    {{- tpl (toYaml .) $ | nindent 4 }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.affinity }}
  affinity:
    {{- toYaml .Values.affinity | nindent 4 }}
  {{- else if eq .Values.podAntiAffinity "hard" }}
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: {{ .Values.podAntiAffinityTopologyKey }}
          labelSelector:
            matchLabels:
              {{- include "perses.selectorLabels" . | nindent 14 }}
  {{- else if eq .Values.podAntiAffinity "soft" }}
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: {{ .Values.podAntiAffinityTopologyKey }}
            labelSelector:
              matchLabels:
                {{- include "perses.selectorLabels" . | nindent 16 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
