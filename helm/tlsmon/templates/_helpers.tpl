{{/* Names are cut to 63 characters: a DNS label, and the pod's advertised host is built from them. */}}
{{- define "tlsmon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tlsmon.fullname" -}}
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

{{/* The headless Service behind the pods' DNS names; cut so that "-headless" still fits. */}}
{{- define "tlsmon.headlessName" -}}
{{- printf "%s-headless" (include "tlsmon.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{- define "tlsmon.shipperName" -}}
{{- printf "%s-shipper" (include "tlsmon.fullname" . | trunc 55 | trimSuffix "-") }}
{{- end }}

{{- define "tlsmon.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tlsmon.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tlsmon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tlsmon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: streams
{{- end }}

{{- define "tlsmon.shipperSelectorLabels" -}}
app.kubernetes.io/name: {{ include "tlsmon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: shipper
{{- end }}

{{- define "tlsmon.shipperLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "tlsmon.shipperSelectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tlsmon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tlsmon.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "tlsmon.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Bytes of a Kubernetes memory quantity (plain, k/M/G/T, Ki/Mi/Gi/Ti), for comparing a limit given
as a quantity with the MiB of the heap and RocksDB. Call with (list "<value name>" <quantity>).
*/}}
{{- define "tlsmon.quantityBytes" -}}
{{- $name := index . 0 }}
{{- $q := toString (index . 1) }}
{{- $m := regexFindAll "^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$" $q -1 }}
{{- if not $m }}
{{- fail (printf "%s: %q is not a memory quantity this chart can check (use a whole number with Ki, Mi, Gi, Ti, k, M, G, T or none)" $name $q) }}
{{- end }}
{{- $n := regexReplaceAll "[^0-9]" $q "" | int64 }}
{{- $unit := regexReplaceAll "^[0-9]+" $q "" }}
{{- $factor := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 }}
{{- mul $n (index $factor $unit) }}
{{- end }}

{{/*
The memory limit of a container holding a JVM: the sum of its parts when no limit is given, else
the limit given, refused when smaller than the sum. Call with (dict "prefix" "<values path>"
"heapMiB" n "rocksdbMiB" n "overheadMiB" n "limit" <quantity or "">).
*/}}
{{- define "tlsmon.memoryLimit" -}}
{{- $need := add (int64 .heapMiB) (int64 .rocksdbMiB) (int64 .overheadMiB) }}
{{- if not .limit }}
{{- printf "%dMi" $need }}
{{- else }}
{{- $limitName := .limitName }}
{{- $have := include "tlsmon.quantityBytes" (list $limitName .limit) | int64 }}
{{- if lt $have (mul $need 1048576) }}
{{- $parts := list (printf "%s.heapMiB %d" .prefix (int64 .heapMiB)) }}
{{- if .rocksdbName }}{{ $parts = append $parts (printf "%s %d" .rocksdbName (int64 .rocksdbMiB)) }}{{ end }}
{{- $parts = append $parts (printf "%s.overheadMiB %d" .prefix (int64 .overheadMiB)) }}
{{- fail (printf "%s (%s) is smaller than what the container needs: %s = %dMi; raise the limit or lower those" $limitName (toString .limit) (join " + " $parts) $need) }}
{{- end }}
{{- toString .limit }}
{{- end }}
{{- end }}

{{- define "tlsmon.streamsMemoryLimit" -}}
{{- include "tlsmon.memoryLimit" (dict "prefix" "memory" "limitName" "resources.limits.memory" "heapMiB" .Values.memory.heapMiB "rocksdbMiB" .Values.memory.rocksdbMiB "rocksdbName" "memory.rocksdbMiB" "overheadMiB" .Values.memory.overheadMiB "limit" .Values.resources.limits.memory) }}
{{- end }}

{{- define "tlsmon.shipperMemoryLimit" -}}
{{- include "tlsmon.memoryLimit" (dict "prefix" "shipper" "limitName" "shipper.resources.limits.memory" "heapMiB" .Values.shipper.heapMiB "rocksdbMiB" 0 "rocksdbName" "" "overheadMiB" .Values.shipper.overheadMiB "limit" (dig "limits" "memory" "" .Values.shipper.resources)) }}
{{- end }}

{{/*
The JVM options of a heap of (list "<values path of extraOpts>" heapMiB extraOpts): the heap only
from the values, so that the memory check holds for what the JVM really takes.
*/}}
{{- define "tlsmon.javaOpts" -}}
{{- $name := index . 0 }}
{{- $heap := index . 1 | int64 }}
{{- $extra := index . 2 | default "" | toString }}
{{- if regexMatch "(^|\\s)-(Xmx|Xms|XX:MaxRAMPercentage|XX:MaxRAM|XX:InitialRAMPercentage|XX:MinRAMPercentage)" $extra }}
{{- fail (printf "%s: set the heap with the chart's heapMiB, not in JVM options (%q): the memory limit is checked against it" $name $extra) }}
{{- end }}
{{- trim (printf "-Xms%dm -Xmx%dm -Djava.io.tmpdir=/tmp %s" $heap $heap $extra) }}
{{- end }}

{{/*
One value of a properties file. Helm reads every YAML number as a float, which prints large
whole numbers as 8.64e+07: those are written as integers. Lists become comma lists. Backslashes and
line breaks are escaped as java.util.Properties reads them.
*/}}
{{- define "tlsmon.propertyValue" -}}
{{- $v := . }}
{{- if kindIs "float64" $v }}
{{- if eq $v (floor $v) }}{{ printf "%d" (int64 $v) }}{{ else }}{{ $v }}{{ end }}
{{- else if kindIs "slice" $v }}
{{- $parts := list }}
{{- range $v }}{{ $parts = append $parts (include "tlsmon.propertyValue" .) }}{{ end }}
{{- join "," $parts }}
{{- else }}
{{- toString $v | replace "\\" "\\\\" | replace "\n" "\\n" | replace "\r" "\\r" }}
{{- end }}
{{- end }}

{{/* Puts key=value into the dict .into when the value is neither null nor empty. */}}
{{- define "tlsmon.setIfGiven" -}}
{{- $v := index . 2 }}
{{- if not (or (kindIs "invalid" $v) (and (kindIs "string" $v) (eq $v "")) (and (kindIs "slice" $v) (eq (len $v) 0))) }}
{{- $_ := set (index . 0) (index . 1) $v }}
{{- end }}
{{- end }}

{{- define "tlsmon.secretsDir" -}}/etc/tlsmon/secrets{{- end }}
{{- define "tlsmon.configDir" -}}/etc/tlsmon/config{{- end }}

{{/* Keys the chart sets itself, with the value to use instead. */}}
{{- define "tlsmon.managedKeys" -}}
{{- dict
  "bootstrap.servers" "kafka.bootstrapServers"
  "security.protocol" "kafka.security.protocol"
  "sasl.mechanism" "kafka.security.sasl.mechanism"
  "ssl.truststore.location" "kafka.security.truststore"
  "ssl.truststore.type" "kafka.security.truststore.type"
  "ssl.keystore.location" "kafka.security.keystore"
  "ssl.keystore.type" "kafka.security.keystore.type"
  "schema.registry.url" "schemaRegistry.url"
  "application.id" "streams.applicationId"
  "application.server" "http (set from the pod name)"
  "state.dir" "persistence"
  "num.stream.threads" "streams.numStreamThreads"
  "num.standby.replicas" "streams.numStandbyReplicas"
  "processing.guarantee" "streams.processingGuarantee"
  "tlsmon.rocksdb.memory.bytes" "memory.rocksdbMiB"
  "tlsmon.http.port" "http.port"
  "tlsmon.http.bind" "http.bind"
  "tlsmon.http.advertised.host" "http (set from the pod name)"
  "tlsmon.http.token.file" "http.token"
  "tlsmon.http.cors.origin" "http.corsOrigin"
  "tlsmon.topic.prefix" "topics.prefix"
  "tlsmon.topic.partitions" "topics.partitions"
  "tlsmon.topic.replication.factor" "topics.replicationFactor"
  "tlsmon.topic.tlsrpt" "topics.tlsrpt"
  "tlsmon.output.formats" "outputFormats"
  "tlsmon.alertmanager.url" "alertmanager.url"
  "basic.auth.credentials.source" "schemaRegistry.basicAuth"
  "bearer.auth.credentials.source" "schemaRegistry.bearerToken"
  | toJson }}
{{- end }}

{{/* Keys whose values are credentials: never a value of the chart, only a Secret reference. */}}
{{- define "tlsmon.isSecretKey" -}}
{{- $k := lower . }}
{{- if or (contains "password" $k) (contains "secret" $k) (contains "jaas" $k) (contains "token" $k) (contains "user.info" $k) (hasSuffix ".key" $k) (contains "credentials" $k) (hasSuffix "certificate.chain" $k) (hasSuffix "truststore.certificates" $k) }}true{{ end }}
{{- end }}

{{/*
The settings both the Streams application and the shipper need: the cluster, its security, the
registry and the topics' names.
*/}}
{{- define "tlsmon.commonSettings" -}}
{{- $v := .Values }}
{{- $p := dict }}
{{- if not $v.kafka.bootstrapServers }}{{ fail "kafka.bootstrapServers is required: the Kafka cluster tlsmon reads and writes" }}{{ end }}
{{- if not $v.schemaRegistry.url }}{{ fail "schemaRegistry.url is required: a registry shared by every pod and the shipper" }}{{ end }}
{{- if hasPrefix "mock://" $v.schemaRegistry.url }}{{ fail (printf "schemaRegistry.url: %s is an in-memory registry of one JVM; the pods and the shipper need a shared one" $v.schemaRegistry.url) }}{{ end }}
{{- $_ := set $p "bootstrap.servers" $v.kafka.bootstrapServers }}
{{- $sec := $v.kafka.security }}
{{- $_ := set $p "security.protocol" $sec.protocol }}
{{- if hasPrefix "SASL_" $sec.protocol }}
{{- if not $sec.sasl.mechanism }}{{ fail (printf "kafka.security.sasl.mechanism is required with kafka.security.protocol=%s" $sec.protocol) }}{{ end }}
{{- if not $sec.sasl.jaasConfig.secretName }}{{ fail (printf "kafka.security.sasl.jaasConfig.secretName is required with kafka.security.protocol=%s: the Secret holding sasl.jaas.config" $sec.protocol) }}{{ end }}
{{- $_ := set $p "sasl.mechanism" $sec.sasl.mechanism }}
{{- end }}
{{- if $sec.truststore.secretName }}
{{- $_ := set $p "ssl.truststore.location" (printf "%s/truststore/%s" (include "tlsmon.secretsDir" .) $sec.truststore.key) }}
{{- $_ := set $p "ssl.truststore.type" $sec.truststore.type }}
{{- end }}
{{- if $sec.keystore.secretName }}
{{- $_ := set $p "ssl.keystore.location" (printf "%s/keystore/%s" (include "tlsmon.secretsDir" .) $sec.keystore.key) }}
{{- $_ := set $p "ssl.keystore.type" $sec.keystore.type }}
{{- end }}
{{- $_ := set $p "schema.registry.url" $v.schemaRegistry.url }}
{{- if $v.schemaRegistry.basicAuth.secretName }}{{ $_ := set $p "basic.auth.credentials.source" "USER_INFO" }}{{ end }}
{{- if $v.schemaRegistry.bearerToken.secretName }}{{ $_ := set $p "bearer.auth.credentials.source" "STATIC_TOKEN" }}{{ end }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.topic.prefix" $v.topics.prefix) }}
{{- toJson $p }}
{{- end }}

{{/* Every setting of `tlsmon run`, as a JSON object of exact keys. */}}
{{- define "tlsmon.streamsSettings" -}}
{{- $v := .Values }}
{{- $p := include "tlsmon.commonSettings" . | fromJson }}
{{- $_ := set $p "application.id" $v.streams.applicationId }}
{{- $_ := set $p "state.dir" (printf "%s/state" $v.persistence.mountPath) }}
{{- $_ := set $p "num.stream.threads" $v.streams.numStreamThreads }}
{{- $_ := set $p "num.standby.replicas" $v.streams.numStandbyReplicas }}
{{- include "tlsmon.setIfGiven" (list $p "processing.guarantee" $v.streams.processingGuarantee) }}
{{- $_ := set $p "tlsmon.rocksdb.memory.bytes" (mul (int64 $v.memory.rocksdbMiB) 1048576) }}
{{- $_ := set $p "tlsmon.http.port" $v.http.port }}
{{- $_ := set $p "tlsmon.http.bind" $v.http.bind }}
{{- if not $v.http.token.secretName }}{{ fail "http.token.secretName is required: tlsmon refuses an API bound beyond loopback without a bearer token, and the probes need the API" }}{{ end }}
{{- $_ := set $p "tlsmon.http.token.file" (printf "%s/api-token/%s" (include "tlsmon.secretsDir" .) $v.http.token.key) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.http.cors.origin" $v.http.corsOrigin) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.topic.partitions" $v.topics.partitions) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.topic.replication.factor" $v.topics.replicationFactor) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.topic.tlsrpt" $v.topics.tlsrpt) }}
{{- range $format, $topic := $v.topics.output }}
{{- include "tlsmon.setIfGiven" (list $p (printf "tlsmon.topic.output.%s" $format) $topic) }}
{{- end }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.output.formats" $v.outputFormats) }}
{{- $a := $v.alerts }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.failure.threshold" $a.failureThreshold) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.failure.window.ms" $a.failureWindowMs) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.consecutive.failures" $a.consecutiveFailures) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.quiet.period.ms" $a.quietPeriodMs) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.update.interval.ms" $a.updateIntervalMs) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.max.raised.per.hour" $a.maxRaisedPerHour) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.deprecated.interval.ms" $a.deprecatedIntervalMs) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alert.noise.outcomes" $a.noiseOutcomes) }}
{{- include "tlsmon.setIfGiven" (list $p "tlsmon.alertmanager.url" $v.alertmanager.url) }}
{{- $managed := include "tlsmon.managedKeys" . | fromJson }}
{{- range $key, $value := $v.config }}
{{- if hasKey $managed $key }}
{{- fail (printf "config.%s: set by the chart; use %s" $key (index $managed $key)) }}
{{- else if include "tlsmon.isSecretKey" $key }}
{{- fail (printf "config.%s: a credential is never a value; mount it from a Secret (kafka.security, schemaRegistry, http.token, alertmanager.bearerToken, or extraEnv with a secretKeyRef)" $key) }}
{{- else if hasPrefix "tlsmon.topic.output." $key }}
{{- fail (printf "config.%s: set by the chart; use topics.output" $key) }}
{{- else if hasKey $p $key }}
{{- fail (printf "config.%s: already set by a value of the chart (alerts)" $key) }}
{{- end }}
{{- $_ := set $p $key $value }}
{{- end }}
{{- range $v.extraEnv }}
{{- if and (hasPrefix "TLSMON_" .name) (hasKey . "value") (include "tlsmon.isSecretKey" (.name | trimPrefix "TLSMON_" | lower | replace "_" ".")) }}
{{- fail (printf "extraEnv %s: a credential is never a value; use valueFrom.secretKeyRef" .name) }}
{{- end }}
{{- end }}
{{- toJson $p }}
{{- end }}

{{/* A settings object as the lines of a properties file, keys sorted. */}}
{{- define "tlsmon.properties" -}}
{{- $p := . }}
{{- range $key := keys $p | sortAlpha }}
{{ $key }}={{ include "tlsmon.propertyValue" (index $p $key) }}
{{- end }}
{{- end }}

{{/*
Environment variables from Secrets. tlsmon reads TLSMON_<KEY> as the setting <key> (dots as
underscores, tlsmon.* keys without their prefix), so credentials never pass through a file of
the chart. Call with the root context.
*/}}
{{- define "tlsmon.secretEnv" -}}
{{- $v := .Values }}
{{- $refs := list }}
{{- $sec := $v.kafka.security }}
{{- if hasPrefix "SASL_" $sec.protocol }}
{{- $refs = append $refs (list "TLSMON_SASL_JAAS_CONFIG" $sec.sasl.jaasConfig) }}
{{- end }}
{{- if and $sec.truststore.secretName $sec.truststore.password.secretName }}
{{- $refs = append $refs (list "TLSMON_SSL_TRUSTSTORE_PASSWORD" $sec.truststore.password) }}
{{- end }}
{{- if $sec.keystore.secretName }}
{{- if $sec.keystore.password.secretName }}{{ $refs = append $refs (list "TLSMON_SSL_KEYSTORE_PASSWORD" $sec.keystore.password) }}{{ end }}
{{- if $sec.keystore.keyPassword.secretName }}{{ $refs = append $refs (list "TLSMON_SSL_KEY_PASSWORD" $sec.keystore.keyPassword) }}{{ end }}
{{- end }}
{{- if $v.schemaRegistry.basicAuth.secretName }}{{ $refs = append $refs (list "TLSMON_BASIC_AUTH_USER_INFO" $v.schemaRegistry.basicAuth) }}{{ end }}
{{- if $v.schemaRegistry.bearerToken.secretName }}{{ $refs = append $refs (list "TLSMON_BEARER_AUTH_TOKEN" $v.schemaRegistry.bearerToken) }}{{ end }}
{{- range $refs }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ (index . 1).secretName }}
      key: {{ (index . 1).key }}
{{- end }}
{{- end }}

{{/* Volumes of the Kafka client's key and trust stores, mounted by tlsmon.tlsVolumeMounts. */}}
{{- define "tlsmon.tlsVolumes" -}}
{{- $sec := .Values.kafka.security }}
{{- if $sec.truststore.secretName }}
- name: kafka-truststore
  secret:
    secretName: {{ $sec.truststore.secretName }}
    defaultMode: 0440
    items:
      - key: {{ $sec.truststore.key }}
        path: {{ $sec.truststore.key }}
{{- end }}
{{- if $sec.keystore.secretName }}
- name: kafka-keystore
  secret:
    secretName: {{ $sec.keystore.secretName }}
    defaultMode: 0440
    items:
      - key: {{ $sec.keystore.key }}
        path: {{ $sec.keystore.key }}
{{- end }}
{{- end }}

{{- define "tlsmon.tlsVolumeMounts" -}}
{{- $sec := .Values.kafka.security }}
{{- if $sec.truststore.secretName }}
- name: kafka-truststore
  mountPath: {{ include "tlsmon.secretsDir" . }}/truststore
  readOnly: true
{{- end }}
{{- if $sec.keystore.secretName }}
- name: kafka-keystore
  mountPath: {{ include "tlsmon.secretsDir" . }}/keystore
  readOnly: true
{{- end }}
{{- end }}
