package io.elaswave.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elaswave.planner.Layout;
import io.elaswave.protocol.serialization.KryoSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which serializer writes what, and that the planner's and engine's plain records survive
 * Jackson: record constructors (with their validation) run on the way back, nested generic lists
 * included, and only record components are stored.
 */
class LedgerSerializationTest {
  /** Pekko's id of the jackson-cbor serializer (pekko-serialization-jackson reference.conf). */
  private static final int JACKSON_CBOR = 33;
  private static final Layout PLAN = Fixtures.layout();
  private static ActorTestKit testKit;
  private static Serialization serialization;

  @BeforeAll static void startSystem() {
    testKit = ActorTestKit.create("LedgerSerializationTest");
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  @AfterAll static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private static Object roundTrip(Object o, int expectedSerializer) {
    Serializer serializer = serialization.findSerializerFor(o);
    assertEquals(expectedSerializer, serializer.identifier(), () -> o.getClass().getName() + " is written by " + serializer);
    byte[] bytes = serialization.serialize(o).get();
    Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    assertEquals(o, back);
    return back;
  }

  @Test void eventsAndStateAreWrittenByJacksonCbor() {
    long step = 7;
    List<LedgerSerializable> stored = List.of(
        new LedgerEvent.JobStarted(Fixtures.spec()),
        new LedgerEvent.PlanAdopted(PLAN, "dp2 x pp2 from the start"),
        new LedgerEvent.PlanInstalled(1),
        new LedgerEvent.JobResumed(40),
        new LedgerEvent.StepCommitted(step, 1, Fixtures.digest(step), Float.NaN, Fixtures.blockDigests(PLAN, step)),
        new LedgerEvent.JobEnded(),
        LedgerState.EMPTY,
        new LedgerState(Fixtures.spec(), PLAN, null, step, Fixtures.digest(step), Fixtures.blockDigests(PLAN, step), true),
        new LedgerState(Fixtures.spec(), PLAN.withEpoch(2), PLAN, step, 1, List.of(), false));
    for (LedgerSerializable o : stored) {
      roundTrip(o, JACKSON_CBOR);
    }
  }

  @Test void commandsAndRepliesAreWrittenByKryo() {
    TestProbe<Ack> acks = testKit.createTestProbe();
    TestProbe<LedgerState> states = testKit.createTestProbe();
    List<Object> wire = List.of(
        new JobLedger.StartJob(Fixtures.spec(), acks.ref()),
        new JobLedger.AdoptPlan(PLAN, "re-plan", acks.ref()),
        new JobLedger.InstallPlan(1, acks.ref()),
        new JobLedger.ResumeAt(40, acks.ref()),
        new JobLedger.CommitStep(3, 1, Fixtures.digest(3), 3.9f, new ArrayList<>(Fixtures.blockDigests(PLAN, 3)), acks.ref()),
        new JobLedger.EndJob(acks.ref()),
        new JobLedger.GetState(states.ref()),
        Ack.accepted(),
        Ack.rejected("stale plan"));
    for (Object o : wire) {
      roundTrip(o, KryoSerializer.IDENTIFIER);
    }
  }

  @Test void aStoredLayoutIsValidatedWhenRead() throws Exception {
    ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.empty());
    ObjectNode tree = mapper.valueToTree(PLAN);
    assertEquals(PLAN, mapper.treeToValue(tree, Layout.class));
    ((ArrayNode) tree.get("stages")).remove(0); // a layer range left without a rank
    Exception e = assertThrows(Exception.class, () -> mapper.treeToValue(tree, Layout.class));
    assertTrue(rootCause(e) instanceof IllegalArgumentException, () -> "Layout's validation rejected it: " + e);
  }

  @Test void onlyRecordComponentsAreStored() {
    ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.empty());
    LedgerState state = new LedgerState(Fixtures.spec(), PLAN, null, 3, 1, Fixtures.blockDigests(PLAN, 3), false);
    assertEquals(componentNames(LedgerState.class), fieldNames(mapper.valueToTree(state)));
    assertEquals(componentNames(Layout.class), fieldNames(mapper.valueToTree(PLAN)));
    assertEquals(componentNames(io.elaswave.protocol.runtime.JobSpec.class), fieldNames(mapper.valueToTree(Fixtures.spec())));
  }

  private static Set<String> componentNames(Class<? extends Record> type) {
    Set<String> names = new TreeSet<>();
    Arrays.stream(type.getRecordComponents()).forEach(c -> names.add(c.getName()));
    return names;
  }

  private static Set<String> fieldNames(ObjectNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
