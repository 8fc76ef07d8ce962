using System.Text.Json;
using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Postprocessing;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Postprocessing;

/// <summary>
/// Against scipy.ndimage.label with a 3×3×3 structure (Goldens/components/make_component_goldens.py): the same mask
/// byte for byte, 26-connectivity (a corner or an edge joins), and the tie rule.
/// </summary>
public sealed class LargestComponentFilterTests
{
    private static readonly JsonElement Report = JsonDocument.Parse(File.ReadAllText(Golden.Path("components/components.json"))).RootElement;

    [Fact]
    public void TheFilteredMaskShouldEqualScipysLabelKeepLargestByteForByte()
    {
        var (mask, shape) = Read("mask.nii.gz");
        var (expected, _) = Read("expected.nii.gz");

        var removed = LargestComponentFilter.Apply(mask, shape);

        Assert.Equal(Report.GetProperty("removed").GetInt64(), removed);
        Assert.Equal(expected, mask);
    }

    [Theory]
    [InlineData(9)]  // two cubes meeting at one corner
    [InlineData(10)] // two cubes meeting along an edge
    public void CubesThatTouchOnlyDiagonallyShouldBeOneComponent(int label)
    {
        var labels = Report.GetProperty("labels").GetProperty(label.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, labels.GetProperty("components_6_connected").GetInt32()); // the golden really is diagonal-only
        var (mask, shape) = Read("mask.nii.gz");
        var before = mask.Count(v => v == label);

        LargestComponentFilter.Apply(mask, shape);

        Assert.Equal(before, mask.Count(v => v == label));
    }

    [Fact]
    public void OfTwoEqualComponentsTheFirstInXYZOrderShouldBeKeptNotTheFirstInMemory()
    {
        var shape = new Shape3(10, 4, 3);
        var mask = new byte[shape.Count];
        Set(mask, shape, 0, 3, 2, 1); // first in (x, y, z) order (x = 0), but late in memory (x fastest): index 110
        Set(mask, shape, 9, 0, 0, 1); // the same size, first in memory (index 9), later in (x, y, z) order

        Assert.Equal(1, LargestComponentFilter.Apply(mask, shape));

        Assert.Equal(1, mask[Index(shape, 0, 3, 2)]);
        Assert.Equal(0, mask[Index(shape, 9, 0, 0)]);
    }

    [Fact]
    public void AMaskWithOneComponentPerLabelOrNoneShouldBeUntouched()
    {
        var shape = new Shape3(6, 5, 4);
        var empty = new byte[shape.Count];
        Assert.Equal(0, LargestComponentFilter.Apply(empty, shape));
        Assert.All(empty, v => Assert.Equal(0, v));

        var full = Enumerable.Repeat((byte)3, (int)shape.Count).ToArray();
        Assert.Equal(0, LargestComponentFilter.Apply(full, shape));
        Assert.All(full, v => Assert.Equal(3, v));
    }

    [Fact]
    public void AMaskWhoseLengthDisagreesWithItsShapeShouldBeRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => LargestComponentFilter.Apply(new byte[10], new Shape3(2, 2, 2)));
        Assert.Contains("10 voxels", ex.Message);
    }

    private static (byte[] Mask, Shape3 Shape) Read(string file)
    {
        var v = VolumeIO.Read(Golden.Path("components/" + file));
        return (v.Voxels.As<byte>().Data.ToArray(), v.Shape);
    }

    private static int Index(Shape3 s, int x, int y, int z) => x + (s.X * (y + (s.Y * z)));

    private static void Set(byte[] mask, Shape3 s, int x, int y, int z, byte label) => mask[Index(s, x, y, z)] = label;
}
