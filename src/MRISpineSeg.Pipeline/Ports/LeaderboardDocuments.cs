using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Ports;

/// <summary>The rendered leaderboard, written to <c>leaderboard/leaderboard.json</c> and <c>.html</c>.</summary>
public sealed record LeaderboardDocuments(byte[] Json, byte[] Html);
