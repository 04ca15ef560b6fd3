package io.elaswave.protocol.serialization;

import io.elaswave.engine.model.ModelConfig;
import io.elaswave.engine.train.TrainConfig;
import io.elaswave.planner.Layout;
import io.elaswave.planner.ModelProfile;
import io.elaswave.planner.PlanRequest;
import io.elaswave.planner.RankId;
import io.elaswave.planner.RankInfo;
import io.elaswave.planner.StaticPlanner;
import io.elaswave.protocol.FloatTensor;
import io.elaswave.protocol.runtime.BlockDigest;
import io.elaswave.protocol.runtime.ClockInfo;
import io.elaswave.protocol.runtime.BlockNorm;
import io.elaswave.protocol.runtime.BlockPartial;
import io.elaswave.protocol.runtime.BlockValues;
import io.elaswave.protocol.runtime.DriverMessage;
import io.elaswave.protocol.runtime.GroupMessage;
import io.elaswave.protocol.runtime.JobSpec;
import io.elaswave.protocol.runtime.NodeMessage;
import io.elaswave.protocol.runtime.RankMessage;
import io.elaswave.protocol.runtime.RankRefs;
import io.elaswave.protocol.runtime.SchedulerMessage;
import io.elaswave.protocol.runtime.StateBlock;
import io.elaswave.protocol.runtime.MovedBlock;
import io.elaswave.protocol.fault.Fault;
import io.elaswave.protocol.runtime.Recovery;
import io.elaswave.planner.elastic.Transfer;
import io.elaswave.protocol.serialization.TestMessages.Pong;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** One instance of every runtime message, with realistic plans and configs inside. */
final class RuntimeSamples {
  private RuntimeSamples() {}

  @SuppressWarnings("unchecked")
  static List<Object> all(ActorRef<Pong> anyRef) {
    // a ref of the wrong static type is fine on the wire: only its path travels
    ActorRef<Object> ref = (ActorRef<Object>) (ActorRef<?>) anyRef;
    TrainConfig config = TrainConfig.defaults("tiny").withSteps(7);
    JobSpec job = new JobSpec(config, 2, 2, "");
    ModelConfig model = config.modelConfig(65);
    Layout layout = StaticPlanner.plan(PlanRequest.of(RankInfo.packed(4, 2, "node-"), 2, 2, 4,
        ModelProfile.estimate(model, 2)));
    FloatTensor tensor = FloatTensor.of(1f, -0f, Float.NaN);
    RankId rank = RankId.of(3);
    RankRefs refs = new RankRefs(rank, narrow(ref), narrow(ref));
    BlockPartial partial = new BlockPartial(1, 2, 0, 2, tensor);
    BlockValues values = new BlockValues(1, 2, tensor);
    StateBlock state = new StateBlock(0, 1, tensor, tensor, tensor);
    Transfer transfer = new Transfer(rank, RankId.of(1), 2, 3, Transfer.Kind.PARAMS, RankId.of(0));
    MovedBlock moved = new MovedBlock(2, 3, Transfer.Kind.MOMENTS, tensor, tensor);
    Recovery recovery = new Recovery("node-lost", List.of(layout.nodeOf(rank)), List.of(rank), "dp2xpp[2,1]@epoch2", 6,
        900L, 1000L, 2000L);
    Fault.RankHang hang = new Fault.RankHang(rank, 5);
    return List.of(
        rank, layout.ranks().get(0).node(), layout.ranks().get(0), layout.stages().get(0),
        layout.microBatchRanges().get(0), layout, config, config.adamW(), job, job.withPolicy("recycle"),
        layout.withStandby(List.of(RankInfo.of(9, "node-1"))),
        partial, values, new BlockNorm(1, 2, 3.5), new BlockDigest(1, 2, -5L), state, refs,
        new NodeMessage.SpawnRanks(job, List.of(rank), narrow(ref)),
        new NodeMessage.StopRanks(),
        new NodeMessage.Beat(),
        new RankMessage.AdoptLayout(layout, List.of(refs), narrow(ref)),
        new RankMessage.LoadState(1, 5, List.of(state)),
        new RankMessage.RunStep(1, 6),
        new RankMessage.ApplyUpdate(1, 6, 1e-3f, 0.5f),
        new RankMessage.GatherState(1, narrow(ref)),
        new RankMessage.Activation(1, 6, 2, tensor),
        new RankMessage.ActivationGrad(1, 6, 2, tensor),
        new RankMessage.GradPartials(1, 6, List.of(partial)),
        new RankMessage.BlockUpdates(1, 6, List.of(values)),
        new RankMessage.GatherSent(1, 6, 2),
        new RankMessage.Reconfigure(layout, 1, List.of(refs), 5, List.of(transfer), List.of(new BlockDigest(0, 0, 9L)),
            narrow(ref)),
        new RankMessage.SnapshotStored(1, 6, rank),
        new RankMessage.SnapshotRefused(1, 6, rank, "no base at step 5"),
        new RankMessage.SnapshotGrads(1, 6, rank, List.of(new BlockValues(0, 1, new FloatTensor(new float[] {0.5f})))),
        new RankMessage.SnapshotApply(1, 6, rank, narrow(ref), 3e-3f, 0.5f, 0.1f, 0.01f,
            List.of(new BlockDigest(0, 1, 77L))),
        new RankMessage.ChangeCommitted(2),
        new RankMessage.ShadowStart(2, List.of(new io.elaswave.planner.elastic.Shadow(rank, RankId.of(4), 1, 0)),
            narrow(ref)),
        new io.elaswave.planner.elastic.Shadow(rank, RankId.of(5), 0, 1),
        new RankMessage.ShadowState(2, 7, rank, List.of(state)),
        new RankMessage.ShadowGrads(2, 8, rank, List.of(new BlockValues(1, 0, new FloatTensor(new float[] {0.25f})))),
        new RankMessage.ShadowApply(2, 8, rank, narrow(ref), 3e-3f, 1f, 0.1f, 0.01f, List.of(new BlockDigest(1, 0, 5L))),
        new RankMessage.ShadowRefused(2, 8, rank, "no base at step 7"),
        new SchedulerMessage.ShadowHeld(2, rank, 8),
        new SchedulerMessage.MigrationWaitOver(2, 9),
        new RankMessage.ActivationPiece(2, 9, 1, true, rank,
            new io.elaswave.protocol.chunk.TensorChunk(7, 2, 1, 3, 2, 5, new float[] {1.5f, -2f})),
        new RankMessage.PieceCredit(2, 7),
        new RankMessage.SnapshotPut(1, 6, rank, narrow(ref), List.of(state)),
        new RankMessage.StateTransfer(2, List.of(moved)),
        transfer, Transfer.Kind.MOMENTS, moved, recovery,
        new SchedulerMessage.StartJob(job, narrow(ref)),
        new SchedulerMessage.RunNextStep(6, narrow(ref)),
        new SchedulerMessage.CollectState(narrow(ref)),
        new SchedulerMessage.StopJob(narrow(ref)),
        new SchedulerMessage.NodeAvailable(layout.nodeOf(rank), 2, 4242L, "127.0.0.1:25520", List.of(refs),
            narrow(ref), new ClockInfo("cgroup", 0.3, 1.5, 0.72), 40123),
        ClockInfo.FIXED,
        new NodeMessage.SetClock(2, 0.6, narrow(ref)),
        new SchedulerMessage.ClockSet(layout.nodeOf(rank), 2, 0.6, ""),
        new SchedulerMessage.SetFrequency("power-cap=900"),
        new SchedulerMessage.RanksSpawned(layout.nodeOf(rank), List.of(refs)),
        new SchedulerMessage.StateLoaded(1, rank),
        new SchedulerMessage.LossReport(1, 6, 2, new double[] {1.5, -0.0}),
        new SchedulerMessage.NormReport(1, 6, rank, List.of(new BlockNorm(0, 0, 1.0))),
        new SchedulerMessage.StepDone(1, 6, rank, List.of(new BlockDigest(0, 0, 9L)),
            new SchedulerMessage.RankTraffic(10, 2, 0, 12), new SchedulerMessage.ComputeReport(1, 3,
            new long[] {5, 6}, new long[] {7, 8}, new long[] {1024, 2048}, 40, 5, 3, 2, 1, 0.75)),
        new SchedulerMessage.RankTraffic(10, 2, 1, 12),
        SchedulerMessage.ComputeReport.none(),
        new SchedulerMessage.StartTimedOut(3),
        new SchedulerMessage.LivenessTick(),
        new SchedulerMessage.AwaitNode(layout.nodeOf(rank), narrow(ref)),
        new SchedulerMessage.LedgerLoaded(job, layout, 3, 5, List.of(new BlockDigest(0, 0, 9L))),
        new SchedulerMessage.LedgerAcked(3, false, "stale plan"),
        new SchedulerMessage.TakeOverReady(),
        new DriverMessage.NodeKnown(layout.nodeOf(rank)),
        new SchedulerMessage.DeathChecked(layout.nodeOf(rank), true, "connection refused"),
        new SchedulerMessage.LifelineClosed(layout.nodeOf(rank), 1_764_000_000_000L),
        new SchedulerMessage.Reconfigured(2, rank),
        new SchedulerMessage.ReconfigureFailed(2, rank, "digest mismatch"),
        new DriverMessage.JobStarted("dp2xpp2@epoch1", 0),
        new DriverMessage.JobRejected("no room"),
        new DriverMessage.StepCommitted(6, 2.5f, 77L, 1e-3f, 0.9, 256, "dp2xpp2@epoch1", 1024, 8, List.of(recovery),
            new DriverMessage.StepPhases(10, 6, 7, 1, 0.5, 1, 2, 0), 812.5, List.of(new DriverMessage.RankBusy(3, 0, 1,
            "node-3", 0.61, 412.5)), List.of(new DriverMessage.ClocksPlanned(2,
            "energy", List.of(new DriverMessage.NodeClock("node-3", 0.61)), "energy: clocks node-3 0.61", 4000, 4080,
            1200, 1010)), 3, 40960),
        new DriverMessage.NodeClock("node-0", 1.0),
        new DriverMessage.RankBusy(0, 0, 0, "node-0", 1.0, 900),
        new DriverMessage.ClocksPlanned(3, "off", List.of(), "off: every node at its nominal clock", 10, 10, 5, 5),
        DriverMessage.StepPhases.none(),
        new DriverMessage.StateBlocks(6, 10, List.of(state)),
        new DriverMessage.JobStopped(),
        new DriverMessage.RestartRequired("restart: lost [r1]", 1, 2, 3),
        new DriverMessage.JobHalted("the journal did not answer for 61 s", 7),
        new GroupMessage.AddMember(2, refs),
        new GroupMessage.RemoveMember(2, rank),
        new GroupMessage.ReplaceMember(2, rank, refs),
        new GroupMessage.SetOwners(2, List.of(rank, rank)),
        new GroupMessage.GetView(narrow(ref)),
        new GroupMessage.ReduceScatter(2, 6, List.of(partial)),
        new GroupMessage.AllGather(2, 6, List.of(values), narrow(ref)),
        new GroupMessage.GroupView(2, 1, List.of(refs), List.of(rank)),
        new Fault.Kill("node-2", 8), new Fault.RankError(rank, 5), hang, new Fault.Freeze("node-1", 6, 10),
        new Fault.Partition("node-0", 6, 0), new Fault.Slow("node-2", 10, 0.13),
        new RankMessage.InjectFault(hang),
        new RankMessage.Probe(2, 1, narrow(ref)),
        new SchedulerMessage.InjectFault(new Fault.RankError(rank, 5)),
        new SchedulerMessage.RankFailed(layout.nodeOf(rank), rank, "boom"),
        new SchedulerMessage.StepDeadline(2, 6, 1),
        new SchedulerMessage.ProbeAnswered(2, 1, rank),
        new SchedulerMessage.ProbeTimedOut(2, 1),
        new NodeMessage.StopRank(rank),
        new SchedulerMessage.MemberChanged("127.0.0.1:25520", SchedulerMessage.MemberChange.UNREACHABLE),
        SchedulerMessage.MemberChange.DOWNED);
  }

  @SuppressWarnings("unchecked")
  private static <T> ActorRef<T> narrow(ActorRef<Object> ref) {
    return (ActorRef<T>) ref;
  }
}
