// Every runtime import of a peer goes through this file, and the components call `createElement`
// instead of using JSX (whose automatic runtime adds an import of `react/jsx-runtime` to each file).
// A bundler keeps one import statement per importing file for a module it leaves external (our
// dist/ leaves the peers external, and so do apps that load React from an import map or a CDN):
// this way dist/ has one per peer.
export { Fragment, createContext, createElement, useContext, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
export {
  MutationObserver,
  QueryObserver,
  hashKey,
  mutationOptions,
  queryOptions,
  replaceEqualDeep,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
