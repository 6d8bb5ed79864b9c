import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/** Values to write into the URL; `undefined` or an empty list removes the parameter. */
export type UrlParamUpdates = Record<string, string | string[] | undefined>;

/**
 * Page state kept in the URL's query string, so a filtered view can be shared by its link.
 * Lists are repeated parameters (`?tier=1&tier=2`), like the backend's own query parameters.
 */
export function useUrlParams() {
  const [params, setParams] = useSearchParams();

  const set = useCallback(
    (updates: UrlParamUpdates) => {
      setParams(
        current => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(updates)) {
            next.delete(key);
            for (const v of Array.isArray(value) ? value : [value]) {
              if (v !== undefined && v !== '') next.append(key, v);
            }
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return useMemo(
    () => ({
      get: (name: string) => params.get(name) ?? undefined,
      getAll: (name: string) => params.getAll(name),
      /** A stable string of the whole query, for effect dependencies. */
      key: params.toString(),
      set,
    }),
    [params, set],
  );
}
