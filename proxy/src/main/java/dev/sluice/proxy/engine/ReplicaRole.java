package dev.sluice.proxy.engine;

/** What being a replica means to the executor; a primary refuses nothing. */
public interface ReplicaRole {
  /** A replica with replica-read-only: clients' writes get READONLY. */
  boolean refusesWrites();

  /** A replica whose link is down, with replica-serve-stale-data no: MASTERDOWN. */
  boolean primaryDown();

  ReplicaRole PRIMARY =
      new ReplicaRole() {
        @Override
        public boolean refusesWrites() {
          return false;
        }

        @Override
        public boolean primaryDown() {
          return false;
        }
      };
}
