#!/usr/bin/env node
// Checks rendered manifests (helm template output, YAML, several documents per file or on stdin)
// against the Kubernetes OpenAPI schemas of npm kubernetes-models@5.1.0, and the prometheus-operator
// ServiceMonitor, a CRD those models do not have, against the structure its operator accepts.
//
//   helm template x helm/tlsmon | node helm/validate-manifests.mjs
//   node helm/validate-manifests.mjs rendered.yaml ...
//
// The packages are looked for in $TLSMON_K8S_MODELS (a node_modules folder), else where
// .ci/install-helm-tools.sh puts them. Exit 0: every document valid; 1: some invalid (each named);
// 2: the packages are missing or the input cannot be read.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.TLSMON_K8S_MODELS
  || join(process.env.TLSMON_TOOLS_CACHE || join(homedir(), '.cache', 'tlsmon-tools'), 'npm-k8s', 'node_modules');
if (!existsSync(join(modules, 'kubernetes-models', 'package.json')) || !existsSync(join(modules, 'js-yaml', 'package.json'))) {
  console.error(`validate-manifests: kubernetes-models and js-yaml not found in ${modules} (run .ci/install-helm-tools.sh)`);
  process.exit(2);
}
const yaml = createRequire(join(modules, 'noop.js'))('js-yaml');

async function modelOf(apiVersion, kind) {
  // The folders follow apiVersion: kubernetes-models/v1 for the core group, <group>/<version> for the others.
  const dir = apiVersion;
  const file = join(modules, 'kubernetes-models', dir, `${kind}.js`);
  if (!/^[A-Za-z0-9.\-/]+$/.test(dir) || !/^[A-Za-z]+$/.test(kind) || !existsSync(file)) {
    return null;
  }
  const exported = await import(pathToFileURL(file).href);
  return exported[kind] || null;
}

const DURATION = /^(0|([0-9]+(ms|s|m|h|d|w|y))+)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SERVICE_MONITOR_SPEC = new Set(['attachMetadata', 'bodySizeLimit', 'convertClassicHistogramsToNHCB', 'endpoints',
  'fallbackScrapeProtocol', 'jobLabel', 'keepDroppedTargets', 'labelLimit', 'labelNameLengthLimit', 'labelValueLengthLimit',
  'namespaceSelector', 'nativeHistogramBucketLimit', 'nativeHistogramMinBucketFactor', 'podTargetLabels', 'sampleLimit',
  'scrapeClass', 'scrapeClassicHistograms', 'scrapeProtocols', 'selector', 'selectorMechanism', 'serviceDiscoveryRole',
  'targetLabels', 'targetLimit']);
const SERVICE_MONITOR_ENDPOINT = new Set(['authorization', 'basicAuth', 'bearerTokenFile', 'bearerTokenSecret', 'enableHttp2',
  'filterRunning', 'followRedirects', 'honorLabels', 'honorTimestamps', 'interval', 'metricRelabelings', 'noProxy', 'oauth2',
  'params', 'path', 'port', 'proxyConnectHeader', 'proxyFromEnvironment', 'proxyUrl', 'relabelings', 'scheme', 'scrapeTimeout',
  'targetPort', 'tlsConfig', 'trackTimestampsStaleness']);

function seconds(d) {
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const [, n, u] of d.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * unit[u];
  return total;
}

function secretRef(ref, where, errors) {
  if (typeof ref !== 'object' || ref === null || typeof ref.name !== 'string' || !DNS_SUBDOMAIN.test(ref.name)
      || typeof ref.key !== 'string' || ref.key === '') {
    errors.push(`${where} must be {name: <Secret>, key: <key>}`);
  }
}

// The ServiceMonitor CRD's schema as prometheus-operator's v1 API defines it, for the fields a
// typo or a wrong type would silently break: an unknown field is dropped by the API server and
// the scrape then goes without it (an endpoint without its token gets 401s, never an error).
function validateServiceMonitor(doc) {
  const errors = [];
  if (doc.apiVersion !== 'monitoring.coreos.com/v1') errors.push(`apiVersion must be monitoring.coreos.com/v1, not ${doc.apiVersion}`);
  if (!doc.metadata || typeof doc.metadata.name !== 'string' || !DNS_SUBDOMAIN.test(doc.metadata.name)) errors.push('metadata.name must be a DNS subdomain');
  const spec = doc.spec;
  if (typeof spec !== 'object' || spec === null) return errors.concat('spec is required');
  for (const k of Object.keys(spec)) if (!SERVICE_MONITOR_SPEC.has(k)) errors.push(`spec.${k} is not a ServiceMonitor field`);
  const sel = spec.selector;
  if (typeof sel !== 'object' || sel === null || (!sel.matchLabels && !sel.matchExpressions)) {
    errors.push('spec.selector needs matchLabels or matchExpressions (an empty selector scrapes every Service)');
  } else if (sel.matchLabels) {
    for (const [k, v] of Object.entries(sel.matchLabels)) if (typeof v !== 'string') errors.push(`spec.selector.matchLabels.${k} must be a string`);
  }
  if (spec.namespaceSelector !== undefined) {
    const ns = spec.namespaceSelector;
    if (ns.matchNames !== undefined && (!Array.isArray(ns.matchNames) || ns.matchNames.some((n) => typeof n !== 'string'))) {
      errors.push('spec.namespaceSelector.matchNames must be a list of names');
    }
  }
  if (!Array.isArray(spec.endpoints) || spec.endpoints.length === 0) return errors.concat('spec.endpoints must be a non-empty list');
  spec.endpoints.forEach((e, i) => {
    const at = `spec.endpoints[${i}]`;
    for (const k of Object.keys(e)) if (!SERVICE_MONITOR_ENDPOINT.has(k)) errors.push(`${at}.${k} is not an endpoint field`);
    if ((e.port === undefined) === (e.targetPort === undefined)) errors.push(`${at} needs port (a Service port name) or targetPort`);
    if (e.port !== undefined && typeof e.port !== 'string') errors.push(`${at}.port must be the name of a Service port`);
    if (e.path !== undefined && (typeof e.path !== 'string' || !e.path.startsWith('/'))) errors.push(`${at}.path must start with /`);
    if (e.scheme !== undefined && !['http', 'https', 'HTTP', 'HTTPS'].includes(e.scheme)) errors.push(`${at}.scheme must be http or https`);
    for (const d of ['interval', 'scrapeTimeout']) {
      if (e[d] !== undefined && (typeof e[d] !== 'string' || !DURATION.test(e[d]))) errors.push(`${at}.${d} must be a Prometheus duration such as 30s`);
    }
    if (typeof e.interval === 'string' && typeof e.scrapeTimeout === 'string' && DURATION.test(e.interval) && DURATION.test(e.scrapeTimeout)
        && seconds(e.scrapeTimeout) > seconds(e.interval)) {
      errors.push(`${at}.scrapeTimeout must not be longer than interval`);
    }
    if (e.authorization !== undefined) {
      const a = e.authorization;
      if (a.type !== undefined && typeof a.type !== 'string') errors.push(`${at}.authorization.type must be a string`);
      if (a.type !== undefined && a.type.toLowerCase() === 'basic') errors.push(`${at}.authorization.type must not be Basic (use basicAuth)`);
      secretRef(a.credentials, `${at}.authorization.credentials`, errors);
    }
    if (e.bearerTokenSecret !== undefined) secretRef(e.bearerTokenSecret, `${at}.bearerTokenSecret`, errors);
    if (e.authorization !== undefined && (e.bearerTokenSecret !== undefined || e.basicAuth !== undefined)) {
      errors.push(`${at}: authorization cannot be combined with bearerTokenSecret or basicAuth`);
    }
  });
  return errors;
}

const CUSTOM = { 'monitoring.coreos.com/v1/ServiceMonitor': validateServiceMonitor };

async function validate(doc) {
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') return ['apiVersion and kind are required'];
  const custom = CUSTOM[`${doc.apiVersion}/${doc.kind}`];
  if (custom) return custom(doc);
  const Model = await modelOf(doc.apiVersion, doc.kind);
  if (!Model) return [`no schema for ${doc.apiVersion} ${doc.kind}: neither in kubernetes-models nor among the CRDs this script knows`];
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

let input;
try {
  input = process.argv.length > 2
    ? process.argv.slice(2).map((f) => ({ name: f, text: readFileSync(f, 'utf8') }))
    : [{ name: 'stdin', text: readFileSync(0, 'utf8') }];
} catch (e) {
  console.error(`validate-manifests: ${e.message}`);
  process.exit(2);
}

let valid = 0;
let invalid = 0;
for (const { name, text } of input) {
  let docs;
  try {
    docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    console.log(`FAIL ${name}: not YAML: ${e.message}`);
    invalid++;
    continue;
  }
  for (const doc of docs) {
    const id = `${doc.kind}/${doc.metadata && doc.metadata.name}`;
    const errors = await validate(doc);
    if (errors.length === 0) {
      console.log(`ok   ${name}: ${doc.apiVersion} ${id}`);
      valid++;
    } else {
      console.log(`FAIL ${name}: ${doc.apiVersion} ${id}: ${errors.join('; ')}`);
      invalid++;
    }
  }
}
console.log(`validate-manifests: ${valid} valid, ${invalid} invalid`);
process.exit(invalid === 0 && valid > 0 ? 0 : 1);
