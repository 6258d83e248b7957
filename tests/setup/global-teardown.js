const fs = require('node:fs');
const { Client } = require('pg');

module.exports = async function globalTeardown() {
  const serverUrl = process.env.VPDT_TEST_SERVER_URL;
  const template = process.env.VPDT_TEST_TEMPLATE;
  const state = globalThis.__VPDT_EMBEDDED__;
  if (state) {
    await state.embedded.stop();
    fs.rmSync(state.dir, { recursive: true, force: true });
    return;
  }
  if (serverUrl && template) {
    const admin = new Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`drop database if exists "${template}"`);
    await admin.end();
  }
};
