export interface Config {
  drift?: {
    /**
     * Where `file:` locations of `driftwatch.io/source` and `driftwatch.io/terraform-plan` may
     * be read from. They are read only for entities registered from a `file` location of
     * `catalog.locations` (or from a catalog file inside one of the roots), only inside the
     * roots, and only regular files; absolute paths and `..` escapes are refused.
     */
    fileLocations?: {
      /**
       * Folders that `file:` locations may read inside, relative to the backend's working
       * directory. Without one, no `file:` location is read.
       */
      roots?: string[];
      /**
       * Largest total size, in bytes, of the files one location reads (a file, or every
       * matching file under a folder). Defaults to 33554432 (32 MiB).
       */
      maxBytes?: number;
    };
  };
}
