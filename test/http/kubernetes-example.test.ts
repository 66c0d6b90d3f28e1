import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROLES } from '../../src/app/roles.js';
import { repoRoot } from '../support/cli.js';

type Container = {
  args: string[];
  env: { name: string; value: string }[];
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
};
type Doc = {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { terminationGracePeriodSeconds: number; containers: Container[] } } };
};

describe('docs/kubernetes.yaml', () => {
  const docs = parseAllDocuments(readFileSync(join(repoRoot, 'docs', 'kubernetes.yaml'), 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Doc;
  });
  const deployments = docs.filter((d) => d.kind === 'Deployment');

  it('has one Deployment per role, each probing /healthz and /readyz, with a preStop and a grace that covers the shutdown deadline', () => {
    const roles = deployments.map((d) => d.spec.template.spec.containers[0]!.args.at(-1));
    expect(roles.sort()).toEqual(ROLES.filter((r) => r !== 'all').sort());
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0]!;
      expect(c.args.slice(0, 2)).toEqual(['run', '--role']);
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
      const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(preStop).toBeGreaterThan(0);
      const grace = Number(c.env.find((e) => e.name === 'WIRESIFT_SHUTDOWN_GRACE_MS')?.value);
      expect(grace).toBeGreaterThan(0);
      // the pod's grace covers preStop plus wiresift's own deadline, with room to exit
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStop * 1000 + grace);
    }
    const web = deployments.find((d) => d.metadata.name === 'wiresift-web')!;
    expect(web.spec.template.spec.containers[0]!.env.map((e) => e.name)).toContain(
      'WIRESIFT_EDITOR_TOKENS_FILE',
    );
  });
});
