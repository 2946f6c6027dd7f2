/**
 * A local stand-in for the two AWS APIs the host scripts call besides S3: SSM Parameter Store
 * (GetParameter, GetParameters, GetParametersByPath, PutParameter; AWS JSON 1.1) and CloudWatch PutMetricData
 * (query protocol, as AWS CLI v2 sends it, and AWS JSON 1.0). It records every metric data point
 * so the rehearsal can check that a backup published BackupSuccess. It proves nothing about IAM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface MetricPoint {
  namespace: string;
  name: string;
  value: number;
  unit?: string;
  dimensions: Record<string, string>;
}

export class FakeAws {
  readonly parameters = new Map<string, string>();
  /** Every PutParameter, in order (what stackplan-release recorded). */
  readonly history: Array<{ name: string; value: string; description: string }> = [];
  readonly metrics: MetricPoint[] = [];
  readonly requests: string[] = [];
  private server: Server | undefined;
  port = 0;

  async start(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = port;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown, type = 'application/x-amz-json-1.1') {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private param(name: string) {
    return {
      Name: name,
      Type: 'SecureString',
      Value: this.parameters.get(name),
      Version: 1,
      DataType: 'text',
      ARN: `arn:aws:ssm:us-east-1:123456789012:parameter${name}`,
    };
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    this.requests.push(target || 'query');
    if (target.startsWith('AmazonSSM.')) {
      const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const op = target.slice('AmazonSSM.'.length);
      if (op === 'GetParametersByPath') {
        const path = String(input.Path ?? '/');
        const recursive = Boolean(input.Recursive);
        const names = [...this.parameters.keys()]
          .filter((n) => n.startsWith(path) && (recursive || !n.slice(path.length).includes('/')))
          .sort();
        this.json(res, 200, { Parameters: names.map((n) => this.param(n)) });
        return;
      }
      if (op === 'GetParameter') {
        const name = String(input.Name);
        if (!this.parameters.has(name)) {
          this.json(res, 400, { __type: 'ParameterNotFound', message: `${name} not found` });
          return;
        }
        this.json(res, 200, { Parameter: this.param(name) });
        return;
      }
      if (op === 'GetParameters') {
        const names = (input.Names as string[]) ?? [];
        this.json(res, 200, {
          Parameters: names.filter((n) => this.parameters.has(n)).map((n) => this.param(n)),
          InvalidParameters: names.filter((n) => !this.parameters.has(n)),
        });
        return;
      }
      if (op === 'PutParameter') {
        // What stackplan-release records: the released tag (and every version in `history`).
        const name = String(input.Name);
        if (this.parameters.has(name) && !input.Overwrite) {
          this.json(res, 400, { __type: 'ParameterAlreadyExists', message: `${name} exists` });
          return;
        }
        this.parameters.set(name, String(input.Value));
        this.history.push({ name, value: String(input.Value), description: String(input.Description ?? '') });
        this.json(res, 200, {
          Version: this.history.filter((h) => h.name === name).length,
          Tier: 'Standard',
        });
        return;
      }
      this.json(res, 400, { __type: 'InvalidAction', message: `${op} is not faked` });
      return;
    }
    if (target.endsWith('.PutMetricData')) {
      const input = JSON.parse(body) as {
        Namespace: string;
        MetricData: Array<{
          MetricName: string;
          Value: number;
          Unit?: string;
          Dimensions?: Array<{ Name: string; Value: string }>;
        }>;
      };
      for (const d of input.MetricData) {
        this.metrics.push({
          namespace: input.Namespace,
          name: d.MetricName,
          value: d.Value,
          ...(d.Unit && { unit: d.Unit }),
          dimensions: Object.fromEntries((d.Dimensions ?? []).map((x) => [x.Name, x.Value])),
        });
      }
      this.json(res, 200, {}, 'application/x-amz-json-1.0');
      return;
    }
    const form = new URLSearchParams(body);
    if (form.get('Action') === 'PutMetricData') {
      const namespace = form.get('Namespace') ?? '';
      for (let i = 1; form.has(`MetricData.member.${i}.MetricName`); i++) {
        const p = `MetricData.member.${i}.`;
        const dimensions: Record<string, string> = {};
        for (let j = 1; form.has(`${p}Dimensions.member.${j}.Name`); j++) {
          dimensions[form.get(`${p}Dimensions.member.${j}.Name`)!] =
            form.get(`${p}Dimensions.member.${j}.Value`) ?? '';
        }
        const unit = form.get(`${p}Unit`);
        this.metrics.push({
          namespace,
          name: form.get(`${p}MetricName`)!,
          value: Number(form.get(`${p}Value`)),
          ...(unit && { unit }),
          dimensions,
        });
      }
      const xml =
        '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">' +
        '<ResponseMetadata><RequestId>stackplan-rehearse</RequestId></ResponseMetadata></PutMetricDataResponse>';
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
      return;
    }
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`stackplan rehearse does not fake this request (${target || form.get('Action') || req.url})`);
  }
}
