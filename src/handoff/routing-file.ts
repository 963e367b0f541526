import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Bot } from '../core/bot.ts';
import { YamlSource } from '../bot/yaml-source.ts';
import { ParleyError } from '../errors.ts';
import { defaultPresenceGraceMs, type RoutingModel } from '../routing/model.ts';
import { channelConnector } from '../routing/placement.ts';
import { formatRoutingProblems, queueFrom, readRouting, toRoutingFile } from '../routing/routing-config.ts';

export const routingFileName = 'routing.yaml';
const voiceTransferQueue = 'voice-transfer';

/** Where the routing model is read from: the data folder's `routing.yaml` (written by the REST API) wins over the bots folder's. */
export function routingFileCandidates(dataDir: string, botsDir: string): string[] {
  return [join(dataDir, routingFileName), join(botsDir, routingFileName)];
}

/** Parses a routing file; PARLEY_ERR_CONFIG listing every problem as `file:line: field: message`. */
export function parseRoutingFile(file: string, text: string): RoutingModel {
  const src = new YamlSource(file, text);
  if (src.problems.length) {
    throw new ParleyError('PARLEY_ERR_CONFIG', `${file} is not valid YAML: ${src.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
  }
  const result = readRouting(src.value ?? {});
  if (!result.model) {
    const lines = result.problems.map((p) => `${file}:${src.lineOf(p.path)}: ${formatRoutingProblems([p])}`);
    throw new ParleyError('PARLEY_ERR_CONFIG', `the routing model in ${file} has ${lines.length} problem${lines.length === 1 ? '' : 's'}:\n  ${lines.join('\n  ')}`, {
      details: result.problems,
    });
  }
  return result.model;
}

/** The routing model to start with, and the file it came from (undefined: derived from the bots). */
export function loadRouting(dataDir: string, botsDir: string, bots: Bot[]): { model: RoutingModel; file?: string } {
  for (const file of routingFileCandidates(dataDir, botsDir)) {
    if (existsSync(file)) return { model: parseRoutingFile(file, readFileSync(file, 'utf8')), file };
  }
  return { model: modelFromBots(bots) };
}

/**
 * Without a routing file: one queue per queue the bots name (their default queue and transfer nodes) for chat,
 * no agents yet; voice hand-offs go to the channel's own transfer (the host IVR or the SIP peer routes them),
 * as they did before any routing was configured.
 */
export function modelFromBots(bots: Bot[]): RoutingModel {
  const names = new Set<string>();
  for (const bot of bots) {
    names.add(bot.settings.defaultQueue);
    for (const dialog of Object.values(bot.dialogs)) {
      for (const node of dialog.nodes) if (node.type === 'transfer' && node.queue !== undefined) names.add(node.queue);
    }
  }
  return {
    workstreams: [
      { id: 'chat', channel: 'chat', bots: [], rules: [] },
      { id: 'voice', channel: 'voice', bots: [], rules: [{ name: 'voice-to-channel', if: 'true', queue: voiceTransferQueue, skills: [] }] },
    ],
    queues: [...[...names].sort().map((id) => queueFrom({ id })), queueFrom({ id: voiceTransferQueue, name: "The channel's own transfer", connector: channelConnector })],
    agents: [],
    bots: bots.map((b) => ({ id: b.id, queues: [] })),
    surveys: [],
    connectors: [],
    presenceGraceMs: defaultPresenceGraceMs,
  };
}

/** Writes the model as YAML, atomically (a crash leaves the old file or the new one). */
export function saveRoutingFile(file: string, model: RoutingModel): void {
  mkdirSync(dirname(file), { recursive: true });
  const text = `# The routing model of Parley (see docs/routing.md). Written by the REST API; edits here are read at the next start.\n${stringify(toRoutingFile(model, { revealSecrets: true }))}`;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}
