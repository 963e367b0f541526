import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startHandoffServer } from '../../handoff/testing/handoff-server.ts';

/**
 * The agent desktop and the supervisor view in a real browser (Debian's chromium, driven by playwright-core):
 * an agent signs in, a customer asks the demo bot for an agent on the web chat, the offer appears, the agent
 * accepts with the keyboard, both chat, the agent ends, and the supervisor's counts change.
 *
 * Cookies are per host: the agent uses 127.0.0.1 and the supervisor localhost, so one browser profile holds
 * both sessions.
 */
let server: Awaited<ReturnType<typeof startHandoffServer>>;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  server = await startHandoffServer();
  profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const admin = client(server);
  for (const person of [
    { username: 'alice', role: 'agent', password: 'alice-password-1' },
    { username: 'sue', role: 'supervisor', password: 'sue-password-12', queues: ['general', 'cards', 'payments'] },
  ]) {
    expect((await admin('POST', '/api/people', person)).status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.dispose();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
}

const tile = (page: Page, id: string) => page.locator(`[data-tile="${id}"] .value`);

describe('the agent desktop in a browser', () => {
  it('takes a customer from the bot to the agent and back to the supervisor’s counts', async () => {
    const port = new URL(server.url).port;
    const supervisor = await context.newPage();
    await signIn(supervisor, `http://localhost:${port}/supervisor`, 'sue', 'sue-password-12');
    await expect.poll(() => tile(supervisor, 'with-agents').textContent(), { timeout: 15_000 }).toBe('0');
    const escalatedBefore = Number(await tile(supervisor, 'escalated').textContent());

    const agent = await context.newPage();
    await signIn(agent, `http://127.0.0.1:${port}/agent`, 'alice', 'alice-password-1');
    const presence = agent.getByLabel('Presence');
    await presence.focus();
    await presence.selectOption('available');
    await agent.getByText('Waiting for customers…').waitFor({ timeout: 10_000 });

    const customer = await context.newPage();
    await customer.goto(`http://127.0.0.1:${port}/chat?bot=bank`);
    const message = customer.getByLabel('Message');
    await customer.locator('.msg.bot', { hasText: 'Welcome to Acme Bank' }).waitFor();
    await message.fill('talk to an agent');
    await message.press('Enter');
    await customer.locator('.msg.bot', { hasText: 'transferring you' }).waitFor({ timeout: 10_000 });

    const offer = agent.getByRole('article', { name: 'Offer from general' });
    await offer.waitFor({ timeout: 10_000 });
    await expect.poll(() => offer.locator('.offer-intent').textContent()).toBe('talk_to_agent');
    expect(await offer.getByRole('log', { name: 'Bot transcript' }).textContent()).toContain('talk to an agent');
    await offer.getByRole('button', { name: 'Accept' }).focus();
    await agent.keyboard.press('Enter');

    const reply = agent.getByLabel('Message to the customer');
    await reply.waitFor({ timeout: 10_000 });
    await reply.fill('Hello, this is Alice. How can I help?');
    await agent.keyboard.press('Enter');
    await customer.locator('.msg.agent', { hasText: 'this is Alice' }).waitFor({ timeout: 10_000 });
    await message.fill('My card was charged twice');
    await message.press('Enter');
    await agent.getByRole('log', { name: 'Conversation transcript' }).getByText('My card was charged twice').waitFor({ timeout: 10_000 });

    await expect.poll(() => tile(supervisor, 'with-agents').textContent(), { timeout: 15_000 }).toBe('1');

    await agent.getByLabel('Disposition').selectOption('resolved');
    await agent.getByRole('button', { name: 'End conversation' }).click();
    await agent.getByText('No conversation selected.').waitFor({ timeout: 10_000 });

    await expect.poll(() => tile(supervisor, 'with-agents').textContent(), { timeout: 15_000 }).toBe('0');
    await expect.poll(async () => Number(await tile(supervisor, 'escalated').textContent()), { timeout: 15_000 }).toBe(escalatedBefore + 1);
  });
});
