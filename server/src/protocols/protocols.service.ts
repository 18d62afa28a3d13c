import {
  defaultProtocols,
  type Protocol,
  protocolFromInput,
  type ProtocolInput,
  protocolSchema,
} from '@chairside/shared';
import type { Clock } from '../clock';
import { conflict, notFound } from '../http/app-error';
import type { Store } from '../store/store';

/**
 * Protocols are versioned data: an edit stores a new version, and a session keeps the version it
 * started with. The built-in protocols are stored as version 1 on first start.
 */
export class ProtocolsService {
  constructor(
    private readonly store: Pick<Store, 'catalog'>,
    private readonly clock: Clock,
  ) {}

  async seedDefaults(): Promise<void> {
    for (const protocol of defaultProtocols) {
      if (!(await this.store.catalog.findProtocol(protocol.id))) {
        await this.store.catalog.saveProtocol({ id: protocol.id, version: protocol.version, definition: protocol, createdAt: this.clock.now(), createdBy: null });
      }
    }
  }

  async list(): Promise<Protocol[]> {
    return (await this.store.catalog.listProtocols()).map((r) => protocolSchema.parse(r.definition));
  }

  /** The protocol's newest version, or the given one. */
  async get(id: string, version?: number): Promise<Protocol> {
    const record = await this.store.catalog.findProtocol(id, version);
    if (!record) throw notFound(`No protocol "${id}"${version === undefined ? '' : ` version ${version}`}.`);
    return protocolSchema.parse(record.definition);
  }

  /** Adds a protocol, or a new version of an existing one when `id` names it. */
  async save(input: ProtocolInput, username: string): Promise<Protocol> {
    const id = input.id ?? slug(input.name);
    const current = await this.store.catalog.findProtocol(id);
    const protocol = protocolSchema.parse(protocolFromInput(input, { id, version: (current?.version ?? 0) + 1 }));
    const saved = await this.store.catalog.saveProtocol({
      id,
      version: protocol.version,
      definition: protocol,
      createdAt: this.clock.now(),
      createdBy: username,
    });
    if (!saved) throw conflict(`Protocol "${id}" was changed at the same moment; reload and retry.`);
    return protocol;
  }
}

function slug(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base.length > 0 ? base : 'protocol';
}
