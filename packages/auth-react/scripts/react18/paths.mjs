/** Entry files of React 18 for each specifier our code and our test dependencies import. */
export function react18Paths(dir) {
  if (!dir) throw new Error('REACT18_DIR is not set: run scripts/test-react18.mjs');
  return {
    react: `${dir}/react/index.js`,
    'react/jsx-runtime': `${dir}/react/jsx-runtime.js`,
    'react/jsx-dev-runtime': `${dir}/react/jsx-dev-runtime.js`,
    'react-dom': `${dir}/react-dom/index.js`,
    'react-dom/client': `${dir}/react-dom/client.js`,
    'react-dom/test-utils': `${dir}/react-dom/test-utils.js`,
  };
}
