using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Postprocessing;

namespace MRISpineSeg.Segmentation.Tests.Postprocessing;

/// <summary>
/// Level ordering on small synthetic spines: boxes stacked along y (the S axis of a PSR grid), 4 voxels high with
/// 3-voxel gaps (the discs), labelled as a network might label them, with the answer known exactly.
/// </summary>
public sealed class LevelOrderingTests
{
    private static readonly Shape3 Shape = new(12, 64, 8);
    private const int BodyHeight = 4;
    private const int Gap = 3;

    [Fact]
    public void BodiesAlreadyInOrderShouldBeLeftAsTheyAre()
    {
        var mask = Spine([2, 3, 4, 5, 6]);
        var before = (byte[])mask.Clone();

        var outcome = LevelOrdering.Apply(mask, Shape, 1, true, 1, 8);

        Assert.Equal(before, mask);
        Assert.Equal(new LevelOrderOutcome(5, 0, 1, 0), outcome);
    }

    [Fact]
    public void ABodySplitBetweenTwoNamesShouldTakeTheNameItsPlaceGives()
    {
        var mask = Spine([2, 3, 4, 5]);
        PaintBody(mask, 1, 2, topHalfOnly: true); // L4's upper half called L5, as Case18's was

        var outcome = LevelOrdering.Apply(mask, Shape, 1, true, 1, 8);

        Assert.Equal(Spine([2, 3, 4, 5]), mask);
        Assert.Equal(4, outcome.Bodies);
        Assert.True(outcome.ChangedVoxels > 0);
    }

    [Fact]
    public void ALevelAboveWhatTheModelNamesShouldBecomeBackgroundInsteadOfRepeatingTheTopName()
    {
        // Seven bodies named L5..T11 (2..8) and an eighth above them also called T11 (8): it is T10, which this model
        // does not name, so it goes; the seventh keeps T11.
        var mask = Spine([2, 3, 4, 5, 6, 7, 8, 8]);

        var outcome = LevelOrdering.Apply(mask, Shape, 1, true, 1, 8);

        Assert.Equal(Spine([2, 3, 4, 5, 6, 7, 8, 0]), mask);
        Assert.Equal(8, outcome.Bodies);
    }

    [Fact]
    public void TheNamesShouldFollowTheVotesWhenTheWholeStackIsShifted()
    {
        // Every body one level too high except the bottom two: the sequence is anchored where most voxels agree.
        var mask = Spine([3, 4, 6, 7, 8]);

        LevelOrdering.Apply(mask, Shape, 1, true, 1, 8);

        Assert.Equal(Spine([4, 5, 6, 7, 8]), mask);
    }

    [Fact]
    public void TwoBodiesJoinedByABridgeShouldBeSeparatedByErosionAndNamedApart()
    {
        var mask = Spine([2, 2, 4]);
        // A one-voxel bridge across the first disc, as when a network bleeds through it.
        for (var y = Bottom(0) + BodyHeight; y < Bottom(1); y++) mask[Index(6, y, 4)] = 2;

        var outcome = LevelOrdering.Apply(mask, Shape, 1, true, 1, 8);

        Assert.Equal(3, outcome.Bodies);
        Assert.True(outcome.Erosions >= 1);
        Assert.Equal(2, mask[Index(6, Bottom(0) + 1, 4)]);
        Assert.Equal(3, mask[Index(6, Bottom(1) + 1, 4)]);
        Assert.Equal(4, mask[Index(6, Bottom(2) + 1, 4)]);
    }

    [Fact]
    public void AFlippedSuperiorAxisShouldCountFromTheOtherEnd()
    {
        // Stored head-first (S axis decreasing with y): the body at the largest y is the lowest.
        var mask = Spine([8, 7, 6, 6]);

        LevelOrdering.Apply(mask, Shape, 1, false, 1, 8);

        Assert.Equal(Spine([8, 7, 6, 5]), mask);
    }

    [Fact]
    public void LabelsOutsideTheLevelsAndAnEmptyMaskShouldBeLeftAlone()
    {
        var empty = new byte[Shape.Count];
        Assert.Equal(new LevelOrderOutcome(0, 0, 0, 0), LevelOrdering.Apply(empty, Shape, 1, true, 1, 8));
        Assert.All(empty, v => Assert.Equal(0, v));

        var mask = Spine([2, 3, 4]);
        mask[Index(0, 0, 0)] = 12; // a disc label of another model: not a level
        LevelOrdering.Apply(mask, Shape, 1, true, 2, 8);
        Assert.Equal(12, mask[Index(0, 0, 0)]);
    }

    [Fact]
    public void AMaskOfTheWrongSizeOrABadRangeShouldBeRefused()
    {
        Assert.Throws<ArgumentException>(() => LevelOrdering.Apply(new byte[10], Shape, 1, true, 1, 8));
        Assert.Throws<ArgumentException>(() => LevelOrdering.Apply(new byte[Shape.Count], Shape, 1, true, 0, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => LevelOrdering.Apply(new byte[Shape.Count], Shape, 3, true, 1, 8));
    }

    private static int Bottom(int body) => 2 + (body * (BodyHeight + Gap));

    private static int Index(int x, int y, int z) => x + (Shape.X * (y + (Shape.Y * z)));

    /// <summary>Boxes x 2..9, z 1..6, stacked along y from the bottom, with the given labels (0: leave out).</summary>
    private static byte[] Spine(byte[] labels)
    {
        var mask = new byte[Shape.Count];
        for (var b = 0; b < labels.Length; b++) PaintBody(mask, b, labels[b], topHalfOnly: false);
        return mask;
    }

    private static void PaintBody(byte[] mask, int body, byte label, bool topHalfOnly)
    {
        var from = Bottom(body) + (topHalfOnly ? BodyHeight / 2 : 0);
        for (var z = 1; z < 7; z++)
        {
            for (var y = from; y < Bottom(body) + BodyHeight; y++)
            {
                for (var x = 2; x < 10; x++) mask[Index(x, y, z)] = label;
            }
        }
    }
}
