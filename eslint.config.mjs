// ESLint (flat config) with typescript-eslint's type-aware rules, an import-cycle check and the
// rules that keep the layers' directions. `npm run lint` runs it and Prettier's check; CI runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** What a layer may not import: the domain is pure, services never reach up into resolvers. */
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const ORM_AND_GRAPHQL = [
  { group: ['@mikro-orm/*'], message: 'The domain is pure: no ORM here; services load and save.' },
  { group: ['graphql', 'type-graphql', 'graphql-ws', '@apollo/*'], message: 'The domain is pure: no GraphQL here; resolvers translate.' },
  { group: ['**/entities', '**/entities/*'], message: 'The domain works on plain values, not entities.' },
  { group: ['**/services/*', '**/resolvers/*', '**/graphql/*', '**/events/*', '**/db/*'], message: 'The domain imports only the domain.' },
];
const NO_RESOLVERS = [{ group: ['**/resolvers', '**/resolvers/*', '**/resolvers/**'], message: 'Resolvers call services, never the other way round.' }];
/** Permission filters are built once, typed, in src/repositories: nobody else turns CASL's rules into a filter or casts one. */
const NO_HAND_FILTERS = [
  { group: ['**/permissions/to-filter'], importNames: ['accessibleWhere'], message: 'Ask a repository (src/repositories) for the rows a viewer may read.' },
];
const NO_FILTER_CASTS = {
  selector: "TSAsExpression > TSTypeReference[typeName.name='FilterQuery']",
  message: 'Build the filter with a repository (src/repositories), typed, instead of casting it.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'client/**', 'web/**', 'tests/generated/**', 'coverage/**', '.data/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Resolver classes and entity relations are typed by decorators and MikroORM's own generics,
      // whose `any` seams these rules would flag on every line without finding a defect.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // type-graphql's resolvers are async by signature even when they return a value at once.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  prettier,
  {
    // After Prettier's config (which turns max-len off): code is wrapped by Prettier at 160, and
    // comments must fit too; a message or an SQL statement is not cut in the middle of a string.
    rules: { 'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true }] },
  },
  {
    // Migrations are MikroORM's generated DDL, one statement per line.
    files: ['migrations/**/*.ts'],
    rules: { 'max-len': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  layer(['src/domain/**/*.ts'], ORM_AND_GRAPHQL),
  layer(
    ['src/services/**/*.ts', 'src/exchange/**/*.ts', 'src/events/**/*.ts', 'src/db/**/*.ts', 'src/audit/**/*.ts', 'entities/**/*.ts'],
    [...NO_RESOLVERS, ...NO_HAND_FILTERS],
  ),
  { files: ['src/services/**/*.ts', 'src/exchange/**/*.ts', 'src/events/**/*.ts'], rules: { 'no-restricted-syntax': ['error', NO_FILTER_CASTS] } },
  {
    // The exchange's pure rules stay in src/domain/exchange; the domain never reaches the exchange's services (src/exchange).
    files: ['src/domain/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: './src/domain', from: './src/exchange', message: 'The domain imports only the domain.' }] },
      ],
    },
  },
  {
    // Resolvers translate: they ask services and repositories (src/repositories), never the EntityManager or the ORM.
    files: ['resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@mikro-orm/*'], message: 'Resolvers do not query: call a service or a repository.' }, ...NO_HAND_FILTERS] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='em']", message: 'Resolvers do not use the EntityManager: call a service or a repository.' },
        { selector: "ObjectPattern > Property[key.name='em']", message: 'Resolvers do not use the EntityManager: call a service or a repository.' },
        NO_FILTER_CASTS,
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Answers read off the wire in tests are checked by the assertions, not by their types.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
