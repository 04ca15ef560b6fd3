package io.elaswave.protocol.runtime;

import io.elaswave.engine.optim.AdamWConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.MicroBatchRange;
import io.elaswave.planner.NodeId;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StageAssignment;
import io.elaswave.protocol.serialization.MessageRegistry;
import io.elaswave.protocol.serialization.Registration;
import java.util.List;

/**
 * Wire ids of the runtime protocol and the plan and config values it carries (block 1000–1199).
 * Ids are forever: add new ones at the end of a range, never renumber.
 */
public final class RuntimeMessages implements MessageRegistry {
  @Override public List<Registration> registrations() {
    return List.of(
        Registration.of(1000, RankId.class),
        Registration.of(1001, NodeId.class),
        Registration.of(1002, RankInfo.class),
        Registration.of(1003, StageAssignment.class),
        Registration.of(1004, MicroBatchRange.class),
        Registration.of(1005, Layout.class),
        Registration.of(1010, TrainConfig.class),
        Registration.of(1011, AdamWConfig.class),
        Registration.of(1020, JobSpec.class),
        Registration.of(1021, BlockPartial.class),
        Registration.of(1022, BlockValues.class),
        Registration.of(1023, BlockNorm.class),
        Registration.of(1024, BlockDigest.class),
        Registration.of(1025, StateBlock.class),
        Registration.of(1026, RankRefs.class),
        Registration.of(1027, MovedBlock.class),
        Registration.of(1028, Recovery.class),
        Registration.of(1006, io.elaswave.planner.elastic.Transfer.class),
        Registration.of(1007, io.elaswave.planner.elastic.Transfer.Kind.class),
        Registration.of(1030, NodeMessage.SpawnRanks.class),
        Registration.of(1031, NodeMessage.StopRanks.class),
        Registration.of(1032, NodeMessage.Beat.class),
        Registration.of(1040, RankMessage.AdoptLayout.class),
        Registration.of(1041, RankMessage.LoadState.class),
        Registration.of(1042, RankMessage.RunStep.class),
        Registration.of(1043, RankMessage.ApplyUpdate.class),
        Registration.of(1044, RankMessage.GatherState.class),
        Registration.of(1045, RankMessage.Activation.class),
        Registration.of(1046, RankMessage.ActivationGrad.class),
        Registration.of(1047, RankMessage.GradPartials.class),
        Registration.of(1048, RankMessage.BlockUpdates.class),
        Registration.of(1049, RankMessage.GatherSent.class),
        Registration.of(1050, RankMessage.Reconfigure.class),
        Registration.of(1051, RankMessage.SnapshotStored.class),
        Registration.of(1052, RankMessage.SnapshotPut.class),
        Registration.of(1053, RankMessage.StateTransfer.class),
        Registration.of(1054, RankMessage.ChangeCommitted.class),
        Registration.of(1060, SchedulerMessage.StartJob.class),
        Registration.of(1061, SchedulerMessage.RunNextStep.class),
        Registration.of(1062, SchedulerMessage.CollectState.class),
        Registration.of(1063, SchedulerMessage.StopJob.class),
        Registration.of(1064, SchedulerMessage.NodeAvailable.class),
        Registration.of(1065, SchedulerMessage.RanksSpawned.class),
        Registration.of(1066, SchedulerMessage.StateLoaded.class),
        Registration.of(1067, SchedulerMessage.LossReport.class),
        Registration.of(1068, SchedulerMessage.NormReport.class),
        Registration.of(1069, SchedulerMessage.StepDone.class),
        Registration.of(1070, SchedulerMessage.RankTraffic.class),
        Registration.of(1071, SchedulerMessage.StartTimedOut.class),
        Registration.of(1072, SchedulerMessage.LivenessTick.class),
        Registration.of(1073, SchedulerMessage.DeathChecked.class),
        Registration.of(1074, SchedulerMessage.Reconfigured.class),
        Registration.of(1075, SchedulerMessage.ReconfigureFailed.class),
        Registration.of(1076, SchedulerMessage.AwaitNode.class),
        Registration.of(1077, SchedulerMessage.LedgerLoaded.class),
        Registration.of(1078, SchedulerMessage.LedgerAcked.class),
        Registration.of(1079, SchedulerMessage.TakeOverReady.class),
        Registration.of(1080, DriverMessage.JobStarted.class),
        Registration.of(1081, DriverMessage.JobRejected.class),
        Registration.of(1082, DriverMessage.StepCommitted.class),
        Registration.of(1083, DriverMessage.StateBlocks.class),
        Registration.of(1084, DriverMessage.JobStopped.class),
        Registration.of(1085, DriverMessage.NodeKnown.class),
        Registration.of(1090, GroupMessage.AddMember.class),
        Registration.of(1091, GroupMessage.RemoveMember.class),
        Registration.of(1092, GroupMessage.ReplaceMember.class),
        Registration.of(1093, GroupMessage.SetOwners.class),
        Registration.of(1094, GroupMessage.GetView.class),
        Registration.of(1095, GroupMessage.ReduceScatter.class),
        Registration.of(1096, GroupMessage.AllGather.class),
        Registration.of(1097, GroupMessage.GroupView.class),
        Registration.of(1100, io.elaswave.protocol.fault.Fault.Kill.class),
        Registration.of(1101, io.elaswave.protocol.fault.Fault.RankError.class),
        Registration.of(1102, io.elaswave.protocol.fault.Fault.RankHang.class),
        Registration.of(1110, RankMessage.InjectFault.class),
        Registration.of(1111, RankMessage.Probe.class),
        Registration.of(1112, SchedulerMessage.InjectFault.class),
        Registration.of(1113, SchedulerMessage.RankFailed.class),
        Registration.of(1114, SchedulerMessage.StepDeadline.class),
        Registration.of(1115, SchedulerMessage.ProbeAnswered.class),
        Registration.of(1116, SchedulerMessage.ProbeTimedOut.class),
        Registration.of(1117, NodeMessage.StopRank.class),
        Registration.of(1118, SchedulerMessage.MemberChanged.class),
        Registration.of(1119, SchedulerMessage.MemberChange.class));
  }
}
