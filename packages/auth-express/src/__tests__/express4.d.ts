// The `express4` devDependency is `npm:express@4`; its API is typed by @types/express like Express 5's.
declare module 'express4' {
  import express from 'express';
  export default express;
}
