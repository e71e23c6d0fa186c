{{- define "portico.name" -}}{{ .Chart.Name }}{{- end -}}
{{- define "portico.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "portico.labels" -}}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "portico.selector" -}}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "portico.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
{{- define "portico.secretName" -}}{{ .Values.secrets.existingSecret | default (printf "%s-env" (include "portico.fullname" .)) }}{{- end -}}

{{/* The container every Portico pod runs: the image, its configuration, files and hardening. */}}
{{- define "portico.container" -}}
image: {{ include "portico.image" .root }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
args: ["start"]
env:
  - name: ROLE
    value: {{ .role | quote }}
  - name: REPLICAS
    value: {{ .replicas | quote }}
  {{- if .root.Values.tls.secretName }}
  - name: TLS_CERT_FILE
    value: /etc/portico/tls/tls.crt
  - name: TLS_KEY_FILE
    value: /etc/portico/tls/tls.key
  {{- end }}
envFrom:
  - configMapRef:
      name: {{ include "portico.fullname" .root }}-config
  - secretRef:
      name: {{ include "portico.secretName" .root }}
ports:
  - name: https
    containerPort: 8443
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: { drop: [ALL] }
  seccompProfile: { type: RuntimeDefault }
volumeMounts:
  - { name: data, mountPath: /var/lib/portico }
  - { name: tmp, mountPath: /tmp }
  {{- if .root.Values.tls.secretName }}
  - { name: tls, mountPath: /etc/portico/tls, readOnly: true }
  {{- end }}
  {{- range .root.Values.extraSecretMounts }}
  - { name: {{ .name }}, mountPath: /etc/portico/{{ .name }}, readOnly: true }
  {{- end }}
{{- end -}}

{{- define "portico.volumes" -}}
- { name: data, emptyDir: {} }
- { name: tmp, emptyDir: { medium: Memory } }
{{- if .Values.tls.secretName }}
- { name: tls, secret: { secretName: {{ .Values.tls.secretName }} } }
{{- end }}
{{- range .Values.extraSecretMounts }}
- { name: {{ .name }}, secret: { secretName: {{ .secretName }} } }
{{- end }}
{{- end -}}

{{- define "portico.probes" -}}
livenessProbe:
  httpGet: { path: {{ .Values.probes.liveness.path }}, port: https, scheme: HTTPS }
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet: { path: {{ .Values.probes.readiness.path }}, port: https, scheme: HTTPS }
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
startupProbe:
  httpGet: { path: {{ .Values.probes.startup.path }}, port: https, scheme: HTTPS }
  periodSeconds: {{ .Values.probes.startup.periodSeconds }}
  failureThreshold: {{ .Values.probes.startup.failureThreshold }}
{{- end -}}
