using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Outcomes;

/// <summary>The scoring handler's answer; <see cref="ChallengeMean"/> is set when scored, <see cref="Reason"/> when rejected.</summary>
public sealed record ScoreSubmissionResult(ScoreSubmissionOutcome Outcome, double? ChallengeMean = null, string? Reason = null);
