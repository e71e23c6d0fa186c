import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';

const REPO = path.resolve(import.meta.dirname, '../..');
const CHART = path.join(REPO, 'deploy/helm/portico');
const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');

function chartSchema(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as object);
}
const defaults = () => parseYaml(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;

describe('deployment files', () => {
  describe('the Helm chart (deploy/helm/portico)', () => {
    it('its default values satisfy values.schema.json', () => {
      const validate = chartSchema();
      assert.ok(validate(defaults()), JSON.stringify(validate.errors));
    });

    it('values.schema.json refuses what would deploy a broken or unsafe Portico', () => {
      const validate = chartSchema();
      interface ChartValues {
        [key: string]: unknown;
        image: { tag: unknown };
        config: Record<string, unknown>;
        probes: { readiness: { path: string } };
        resources: { limits: { memory: string } };
        service: { port: number };
      }
      const refused = (change: (values: ChartValues) => void, what: string) => {
        const values = structuredClone(defaults()) as ChartValues;
        change(values);
        assert.equal(validate(values), false, what);
      };
      refused((v) => (v['replicaCount'] = 0), 'no replicas');
      refused((v) => (v['replicas'] = 3), 'a misspelt key');
      refused((v) => (v.image.tag = 1.2), 'a numeric image tag');
      refused((v) => (v.config['PORT'] = 8443), 'a configuration value that is not a string');
      refused((v) => (v.config['public-url'] = 'x'), 'a configuration name that is not an environment variable');
      refused((v) => (v.config['DATABASE_URL'] = 'postgres://user:secret@db/portico'), 'a secret in the ConfigMap');
      refused((v) => (v.config['ROLE'] = 'api'), 'ROLE, which the chart sets per Deployment');
      refused((v) => (v.probes.readiness.path = '/'), 'a probe on a path that is not a health check');
      refused((v) => (v.resources.limits.memory = 'lots'), 'a memory quantity Kubernetes cannot read');
      refused((v) => (v.service.port = 70_000), 'a port out of range');
    });

    it('every .Values path a template reads is declared in values.yaml', () => {
      const values = defaults();
      const templates = fs.readdirSync(path.join(CHART, 'templates'));
      const missing: string[] = [];
      for (const file of templates) {
        const text = fs.readFileSync(path.join(CHART, 'templates', file), 'utf8');
        for (const [, dotted] of text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)) {
          let node: unknown = values;
          for (const key of dotted!.split('.')) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
          if (node === undefined) missing.push(`${file}: .Values.${dotted}`);
        }
      }
      assert.deepEqual(missing, []);
    });

    it('is versioned with the application, and its probes are the health routes', () => {
      const chart = parseYaml(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8')) as { apiVersion: string; appVersion: string };
      assert.equal(chart.apiVersion, 'v2');
      assert.equal(chart.appVersion, (JSON.parse(read('package.json')) as { version: string }).version);
      const probes = (defaults()['probes'] as Record<string, { path: string }>);
      assert.equal(probes['liveness']!.path, '/health/live');
      assert.equal(probes['readiness']!.path, '/health/ready');
    });
  });

  describe('the local stack (docker-compose.yml)', () => {
    it('runs PostgreSQL, Redis, NATS, a migration job and two replicas behind the load balancer, read-only, which sends to exactly those replicas', () => {
      const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { environment?: Record<string, string>; read_only?: boolean; ports?: string[] }> };
      const { services } = compose;
      for (const name of ['postgres', 'redis', 'nats', 'migrate', 'portico-1', 'portico-2', 'lb']) assert.ok(services[name], `service ${name}`);
      assert.equal(services['migrate']!.environment!['ROLE'], 'migrate');
      for (const replica of ['portico-1', 'portico-2']) {
        assert.equal(services[replica]!.read_only, true, `${replica} read-only`);
        assert.equal(services[replica]!.environment!['REPLICAS'], '2');
        for (const variable of ['DATABASE_URL', 'REDIS_URL', 'NATS_URL', 'TLS_CERT_FILE', 'FX_CONTRACT_KEY', 'KEY_ENCRYPTION_KEYS']) assert.ok(services[replica]!.environment![variable], `${replica} ${variable}`);
      }
      const servers = [...read('deploy/compose/haproxy.cfg').matchAll(/^\s*server\s+(\S+)\s+(\S+)/gm)].map((match) => match[2]);
      assert.deepEqual(servers, ['portico-1:8443', 'portico-2:8443']);
      assert.deepEqual(services['lb']!.ports, ['8443:8443']);
    });
  });

  describe('the Grafana dashboard (deploy/grafana/portico-dashboard.json)', () => {
    /** Every metric Portico exports: those its sources declare, and the process metrics prom-client adds under the prefix. */
    function exportedMetrics(): Set<string> {
      const names = new Set<string>();
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (file.endsWith('.ts')) for (const [, name] of fs.readFileSync(file, 'utf8').matchAll(/name: '((?:portico|http)_[a-z0-9_]+)'/g)) names.add(name!);
        }
      };
      walk(path.join(REPO, 'src'));
      const registry = new Registry();
      collectDefaultMetrics({ register: registry, prefix: 'portico_' });
      for (const metric of registry.getMetricsAsArray()) names.add(metric.name);
      return names;
    }

    it('queries only metrics Portico exports, in panels that each have a query', () => {
      const dashboard = JSON.parse(read('deploy/grafana/portico-dashboard.json')) as { uid: string; panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }> };
      assert.equal(dashboard.uid, 'portico-overview');
      const exported = exportedMetrics();
      const unknown: string[] = [];
      const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
      assert.ok(graphs.length >= 12, `${graphs.length} panels`);
      for (const panel of graphs) {
        assert.ok(panel.targets && panel.targets.length > 0, `${panel.title} has a query`);
        for (const { expr } of panel.targets) {
          for (const [name] of expr.matchAll(/\b(?:portico|http)_[a-z0-9_]+/g)) {
            const base = name.replace(/_(bucket|count|sum)$/, '');
            if (!exported.has(name) && !exported.has(base)) unknown.push(`${panel.title}: ${name}`);
          }
        }
      }
      assert.deepEqual(unknown, []);
    });
  });
});
