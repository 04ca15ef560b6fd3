package io.elaswave.persistence;

import io.elaswave.protocol.serialization.MessageRegistry;
import io.elaswave.protocol.serialization.Registration;
import java.util.List;

/**
 * Kryo wire ids of the ledger's commands and replies (block 2000–2099), found by the protocol's
 * serializer through {@code META-INF/services}. Ids are forever: add at the end, never renumber.
 * Layouts and job specs inside the commands use the protocol's own ids.
 */
public final class LedgerMessages implements MessageRegistry {
  @Override public List<Registration> registrations() {
    return List.of(
        Registration.of(2000, JobLedger.StartJob.class),
        Registration.of(2001, JobLedger.AdoptPlan.class),
        Registration.of(2002, JobLedger.ResumeAt.class),
        Registration.of(2003, JobLedger.CommitStep.class),
        Registration.of(2004, JobLedger.EndJob.class),
        Registration.of(2005, JobLedger.GetState.class),
        Registration.of(2006, JobLedger.InstallPlan.class),
        Registration.of(2010, Ack.Accepted.class),
        Registration.of(2011, Ack.Rejected.class),
        Registration.of(2020, BlockDigestEntry.class));
  }
}
