import { closeLeftoverEnvironments } from '../helpers/env';

// After each test file: close any environment the file did not (a `beforeAll` that timed out leaves
// one being built, with its database connections), so it cannot starve the files that run next.
afterAll(() => closeLeftoverEnvironments(), 300_000);
