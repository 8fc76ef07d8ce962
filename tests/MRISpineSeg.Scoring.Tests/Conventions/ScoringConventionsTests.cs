using MRISpineSeg.Scoring.Conventions;

namespace MRISpineSeg.Scoring.Tests.Conventions;

public sealed class ScoringConventionsTests
{
    [Fact]
    public void ConventionsShouldCoverTheClassesDesignSection5Names()
    {
        Assert.Equal(Enumerable.Range(1, 19), ScoringConventions.Challenge.Classes);
        Assert.Equal(Enumerable.Range(0, 20), ScoringConventions.PaddleSeg20.Classes);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17], ScoringConventions.PaddleSeg16.Classes);
        Assert.Equal(Enumerable.Range(1, 10), ScoringConventions.Vertebrae.Classes);
        Assert.Equal(Enumerable.Range(11, 9), ScoringConventions.Discs.Classes);
        Assert.Equal(["challenge", "paddleseg20", "paddleseg16", "vertebrae", "discs"], ScoringConventions.All.Select(c => c.Name));
    }

    [Fact]
    public void ChallengeShouldSkipAbsentClassesAndPaddleSegShouldCountThemAsZero()
    {
        var dice = new double?[20];
        dice[0] = 1.0;
        dice[1] = 0.8;
        dice[11] = 0.6;
        Assert.Equal(0.7, ScoringConventions.Challenge.Score(dice)!.Value, 15);
        Assert.Equal((1.0 + 0.8 + 0.6) / 20, ScoringConventions.PaddleSeg20.Score(dice)!.Value, 15);
        Assert.Equal((1.0 + 0.8 + 0.6) / 16, ScoringConventions.PaddleSeg16.Score(dice)!.Value, 15);
        Assert.Equal(0.8, ScoringConventions.Vertebrae.Score(dice));
        Assert.Equal(0.6, ScoringConventions.Discs.Score(dice));
    }

    [Fact]
    public void PaddleSeg16ShouldIgnoreTheDroppedClasses()
    {
        var dice = new double?[20];
        dice[9] = 1.0;
        dice[10] = 1.0;
        dice[18] = 1.0;
        dice[19] = 1.0;
        Assert.Equal(0.0, ScoringConventions.PaddleSeg16.Score(dice));
    }

    [Fact]
    public void ACaseWithNoStructuresShouldHaveNoChallengeScore()
    {
        var dice = new double?[20];
        dice[0] = 1.0;
        Assert.Null(ScoringConventions.Challenge.Score(dice));
        Assert.Null(ScoringConventions.Discs.Score(dice));
        Assert.Equal(0.05, ScoringConventions.PaddleSeg20.Score(dice)!.Value, 15);
    }
}
