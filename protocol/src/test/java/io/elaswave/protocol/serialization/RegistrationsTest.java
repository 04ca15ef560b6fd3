package io.elaswave.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationsTest {

  /**
   * The wire ids. A failure here means an id moved, and JVMs built before and after the change
   * can no longer read each other: add new ids instead of renumbering.
   */
  @Test
  void idsArePinned() {
    Map<Integer, String> expected = new LinkedHashMap<>();
    expected.put(100, "[B");
    expected.put(101, "[Z");
    expected.put(102, "[I");
    expected.put(103, "[J");
    expected.put(104, "[F");
    expected.put(105, "[D");
    expected.put(106, "[Ljava.lang.String;");
    expected.put(107, "java.util.ArrayList");
    expected.put(108, "java.util.HashMap");
    expected.put(109, "java.util.LinkedHashMap");
    expected.put(110, "java.util.Optional");
    expected.put(111, "java.util.ImmutableCollections$ListN");
    expected.put(112, "java.util.ImmutableCollections$List12");
    expected.put(113, "java.util.ImmutableCollections$SubList");
    expected.put(114, "java.util.ImmutableCollections$SetN");
    expected.put(115, "java.util.ImmutableCollections$Set12");
    expected.put(116, "java.util.ImmutableCollections$MapN");
    expected.put(117, "java.util.ImmutableCollections$Map1");
    expected.put(120, "org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter");
    expected.put(200, "io.elaswave.protocol.FloatTensor");
    expected.put(201, "io.elaswave.protocol.chunk.TensorChunk");
    // contributed by the runtime protocol (main scope, through ServiceLoader)
    expected.put(1000, "io.elaswave.planner.RankId");
    expected.put(1001, "io.elaswave.planner.NodeId");
    expected.put(1002, "io.elaswave.planner.RankInfo");
    expected.put(1003, "io.elaswave.planner.StageAssignment");
    expected.put(1004, "io.elaswave.planner.MicroBatchRange");
    expected.put(1005, "io.elaswave.planner.Layout");
    expected.put(1006, "io.elaswave.planner.elastic.Transfer");
    expected.put(1007, "io.elaswave.planner.elastic.Transfer$Kind");
    expected.put(1010, "io.elaswave.engine.train.TrainConfig");
    expected.put(1011, "io.elaswave.engine.optim.AdamWConfig");
    expected.put(1020, "io.elaswave.protocol.runtime.JobSpec");
    expected.put(1021, "io.elaswave.protocol.runtime.BlockPartial");
    expected.put(1022, "io.elaswave.protocol.runtime.BlockValues");
    expected.put(1023, "io.elaswave.protocol.runtime.BlockNorm");
    expected.put(1024, "io.elaswave.protocol.runtime.BlockDigest");
    expected.put(1025, "io.elaswave.protocol.runtime.StateBlock");
    expected.put(1026, "io.elaswave.protocol.runtime.RankRefs");
    expected.put(1027, "io.elaswave.protocol.runtime.MovedBlock");
    expected.put(1028, "io.elaswave.protocol.runtime.Recovery");
    expected.put(1030, "io.elaswave.protocol.runtime.NodeMessage$SpawnRanks");
    expected.put(1031, "io.elaswave.protocol.runtime.NodeMessage$StopRanks");
    expected.put(1032, "io.elaswave.protocol.runtime.NodeMessage$Beat");
    expected.put(1040, "io.elaswave.protocol.runtime.RankMessage$AdoptLayout");
    expected.put(1041, "io.elaswave.protocol.runtime.RankMessage$LoadState");
    expected.put(1042, "io.elaswave.protocol.runtime.RankMessage$RunStep");
    expected.put(1043, "io.elaswave.protocol.runtime.RankMessage$ApplyUpdate");
    expected.put(1044, "io.elaswave.protocol.runtime.RankMessage$GatherState");
    expected.put(1045, "io.elaswave.protocol.runtime.RankMessage$Activation");
    expected.put(1046, "io.elaswave.protocol.runtime.RankMessage$ActivationGrad");
    expected.put(1047, "io.elaswave.protocol.runtime.RankMessage$GradPartials");
    expected.put(1048, "io.elaswave.protocol.runtime.RankMessage$BlockUpdates");
    expected.put(1049, "io.elaswave.protocol.runtime.RankMessage$GatherSent");
    expected.put(1050, "io.elaswave.protocol.runtime.RankMessage$Reconfigure");
    expected.put(1051, "io.elaswave.protocol.runtime.RankMessage$SnapshotStored");
    expected.put(1052, "io.elaswave.protocol.runtime.RankMessage$SnapshotPut");
    expected.put(1053, "io.elaswave.protocol.runtime.RankMessage$StateTransfer");
    expected.put(1054, "io.elaswave.protocol.runtime.RankMessage$ChangeCommitted");
    expected.put(1060, "io.elaswave.protocol.runtime.SchedulerMessage$StartJob");
    expected.put(1061, "io.elaswave.protocol.runtime.SchedulerMessage$RunNextStep");
    expected.put(1062, "io.elaswave.protocol.runtime.SchedulerMessage$CollectState");
    expected.put(1063, "io.elaswave.protocol.runtime.SchedulerMessage$StopJob");
    expected.put(1064, "io.elaswave.protocol.runtime.SchedulerMessage$NodeAvailable");
    expected.put(1065, "io.elaswave.protocol.runtime.SchedulerMessage$RanksSpawned");
    expected.put(1066, "io.elaswave.protocol.runtime.SchedulerMessage$StateLoaded");
    expected.put(1067, "io.elaswave.protocol.runtime.SchedulerMessage$LossReport");
    expected.put(1068, "io.elaswave.protocol.runtime.SchedulerMessage$NormReport");
    expected.put(1069, "io.elaswave.protocol.runtime.SchedulerMessage$StepDone");
    expected.put(1070, "io.elaswave.protocol.runtime.SchedulerMessage$RankTraffic");
    expected.put(1071, "io.elaswave.protocol.runtime.SchedulerMessage$StartTimedOut");
    expected.put(1072, "io.elaswave.protocol.runtime.SchedulerMessage$LivenessTick");
    expected.put(1073, "io.elaswave.protocol.runtime.SchedulerMessage$DeathChecked");
    expected.put(1074, "io.elaswave.protocol.runtime.SchedulerMessage$Reconfigured");
    expected.put(1075, "io.elaswave.protocol.runtime.SchedulerMessage$ReconfigureFailed");
    expected.put(1076, "io.elaswave.protocol.runtime.SchedulerMessage$AwaitNode");
    expected.put(1077, "io.elaswave.protocol.runtime.SchedulerMessage$LedgerLoaded");
    expected.put(1078, "io.elaswave.protocol.runtime.SchedulerMessage$LedgerAcked");
    expected.put(1079, "io.elaswave.protocol.runtime.SchedulerMessage$TakeOverReady");
    expected.put(1080, "io.elaswave.protocol.runtime.DriverMessage$JobStarted");
    expected.put(1081, "io.elaswave.protocol.runtime.DriverMessage$JobRejected");
    expected.put(1082, "io.elaswave.protocol.runtime.DriverMessage$StepCommitted");
    expected.put(1083, "io.elaswave.protocol.runtime.DriverMessage$StateBlocks");
    expected.put(1084, "io.elaswave.protocol.runtime.DriverMessage$JobStopped");
    expected.put(1085, "io.elaswave.protocol.runtime.DriverMessage$NodeKnown");
    expected.put(1090, "io.elaswave.protocol.runtime.GroupMessage$AddMember");
    expected.put(1091, "io.elaswave.protocol.runtime.GroupMessage$RemoveMember");
    expected.put(1092, "io.elaswave.protocol.runtime.GroupMessage$ReplaceMember");
    expected.put(1093, "io.elaswave.protocol.runtime.GroupMessage$SetOwners");
    expected.put(1094, "io.elaswave.protocol.runtime.GroupMessage$GetView");
    expected.put(1095, "io.elaswave.protocol.runtime.GroupMessage$ReduceScatter");
    expected.put(1096, "io.elaswave.protocol.runtime.GroupMessage$AllGather");
    expected.put(1097, "io.elaswave.protocol.runtime.GroupMessage$GroupView");
    expected.put(1100, "io.elaswave.protocol.fault.Fault$Kill");
    expected.put(1101, "io.elaswave.protocol.fault.Fault$RankError");
    expected.put(1102, "io.elaswave.protocol.fault.Fault$RankHang");
    expected.put(1103, "io.elaswave.protocol.fault.Fault$Freeze");
    expected.put(1104, "io.elaswave.protocol.fault.Fault$Partition");
    expected.put(1105, "io.elaswave.protocol.fault.Fault$Slow");
    expected.put(1110, "io.elaswave.protocol.runtime.RankMessage$InjectFault");
    expected.put(1111, "io.elaswave.protocol.runtime.RankMessage$Probe");
    expected.put(1112, "io.elaswave.protocol.runtime.SchedulerMessage$InjectFault");
    expected.put(1113, "io.elaswave.protocol.runtime.SchedulerMessage$RankFailed");
    expected.put(1114, "io.elaswave.protocol.runtime.SchedulerMessage$StepDeadline");
    expected.put(1115, "io.elaswave.protocol.runtime.SchedulerMessage$ProbeAnswered");
    expected.put(1116, "io.elaswave.protocol.runtime.SchedulerMessage$ProbeTimedOut");
    expected.put(1117, "io.elaswave.protocol.runtime.NodeMessage$StopRank");
    expected.put(1118, "io.elaswave.protocol.runtime.SchedulerMessage$MemberChanged");
    expected.put(1119, "io.elaswave.protocol.runtime.SchedulerMessage$MemberChange");
    expected.put(1120, "io.elaswave.protocol.runtime.SchedulerMessage$ComputeReport");
    expected.put(1121, "io.elaswave.protocol.runtime.DriverMessage$StepPhases");
    expected.put(1122, "io.elaswave.protocol.runtime.DriverMessage$RestartRequired");
    expected.put(1123, "io.elaswave.protocol.runtime.ClockInfo");
    expected.put(1124, "io.elaswave.protocol.runtime.NodeMessage$SetClock");
    expected.put(1125, "io.elaswave.protocol.runtime.SchedulerMessage$ClockSet");
    expected.put(1126, "io.elaswave.protocol.runtime.SchedulerMessage$SetFrequency");
    expected.put(1127, "io.elaswave.protocol.runtime.DriverMessage$ClocksPlanned");
    expected.put(1128, "io.elaswave.protocol.runtime.DriverMessage$NodeClock");
    expected.put(1129, "io.elaswave.protocol.runtime.DriverMessage$RankBusy");
    expected.put(1130, "io.elaswave.protocol.runtime.SchedulerMessage$LifelineClosed");
    expected.put(1131, "io.elaswave.protocol.runtime.RankMessage$SnapshotGrads");
    expected.put(1132, "io.elaswave.protocol.runtime.RankMessage$SnapshotApply");
    expected.put(1133, "io.elaswave.protocol.runtime.RankMessage$SnapshotRefused");
    expected.put(1134, "io.elaswave.planner.elastic.Shadow");
    expected.put(1135, "io.elaswave.protocol.runtime.RankMessage$ShadowStart");
    expected.put(1136, "io.elaswave.protocol.runtime.RankMessage$ShadowState");
    expected.put(1137, "io.elaswave.protocol.runtime.RankMessage$ShadowGrads");
    expected.put(1138, "io.elaswave.protocol.runtime.RankMessage$ShadowApply");
    expected.put(1139, "io.elaswave.protocol.runtime.RankMessage$ShadowRefused");
    expected.put(1140, "io.elaswave.protocol.runtime.SchedulerMessage$ShadowHeld");
    expected.put(1141, "io.elaswave.protocol.runtime.SchedulerMessage$MigrationWaitOver");
    expected.put(1142, "io.elaswave.protocol.runtime.RankMessage$ActivationPiece");
    expected.put(1143, "io.elaswave.protocol.runtime.RankMessage$PieceCredit");
    expected.put(1144, "io.elaswave.protocol.runtime.DriverMessage$JobHalted");
    // contributed by the test-scope TestMessages provider through ServiceLoader
    expected.put(9000, "io.elaswave.protocol.serialization.TestMessages$Ping");
    expected.put(9001, "io.elaswave.protocol.serialization.TestMessages$Pong");
    expected.put(9002, "io.elaswave.protocol.serialization.TestMessages$Mixed");
    expected.put(9003, "io.elaswave.protocol.serialization.TestMessages$Phase");
    expected.put(9004, "io.elaswave.protocol.serialization.TestMessages$Holder");

    Map<Integer, String> actual = new LinkedHashMap<>();
    for (Registration r : Registrations.load(getClass().getClassLoader()).entries()) {
      actual.put(r.id(), r.type().getName());
    }
    assertEquals(expected, actual);
  }

  @Test
  void duplicateIdNamesBothClaimants() {
    MessageRegistry a = () -> List.of(Registration.of(1000, String.class));
    MessageRegistry b = () -> List.of(Registration.of(1000, Integer.class));
    var e = assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(a, b)));
    assertTrue(e.getMessage().contains("Kryo id 1000 is claimed twice"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.String") && e.getMessage().contains("java.lang.Integer"));
  }

  @Test
  void duplicateClassIsRejected() {
    MessageRegistry a = () -> List.of(Registration.of(1000, TestMessages.Unregistered.class));
    MessageRegistry b = () -> List.of(Registration.of(2000, TestMessages.Unregistered.class));
    var e = assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(a, b)));
    assertTrue(e.getMessage().contains("registered twice: id 1000"), e.getMessage());
  }

  @Test
  void providersMayNotUseTheCoreBlock() {
    MessageRegistry low = () -> List.of(Registration.of(150, TestMessages.Unregistered.class));
    var e = assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(low)));
    assertTrue(e.getMessage().contains("below 1000"), e.getMessage());
    MessageRegistry clash = () -> List.of(Registration.of(1000, float[].class));
    assertThrows(IllegalStateException.class, () -> Registrations.of(List.of(clash)));
  }

  @Test
  void registrationsNeedConcreteClassesAndIdsFrom100() {
    assertThrows(IllegalArgumentException.class, () -> Registration.of(99, String.class));
    assertThrows(IllegalArgumentException.class, () -> Registration.of(1000, Runnable.class));
    assertThrows(IllegalArgumentException.class, () -> Registration.of(1000, Number.class));
    assertThrows(IllegalArgumentException.class, () -> Registration.of(1000, int.class));
    assertEquals("1000", Registration.of(1000, String.class).manifest());
  }
}
