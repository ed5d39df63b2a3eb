package dev.plinth.beat;

import dev.plinth.platform.testing.MariaDbTestDatabase;
import dev.plinth.platform.testing.TestDatabase;

/**
 * {@link BeatReplicasTest} on the local MariaDB ({@code DATABASE_ENGINE=mariadb}): each due run
 * claimed once across replicas by its primary key, ShedLock's leadership, the recovery of
 * unconfirmed runs and the purge, on MySQL's SQL.
 */
class BeatReplicasOnMariaDbTest extends BeatReplicasTest {
  @Override
  TestDatabase createDatabase() {
    return MariaDbTestDatabase.create();
  }
}
