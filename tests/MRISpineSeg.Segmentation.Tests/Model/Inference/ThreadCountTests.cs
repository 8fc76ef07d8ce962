using MRISpineSeg.Segmentation.Model.Inference;

namespace MRISpineSeg.Segmentation.Tests.Model.Inference;

public sealed class ThreadCountTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData(" 0 ", 0)]
    [InlineData("1", 1)]
    [InlineData("1024", 1024)]
    public void ValidCountsShouldParseWithNothingMeaningEveryCore(string? text, int expected)
    {
        Assert.True(ThreadCount.TryParse(text, out var n, out var problem));
        Assert.Equal(expected, n);
        Assert.Empty(problem);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1025")]
    [InlineData("2.5")]
    [InlineData("many")]
    [InlineData("99999999999")]
    public void AnythingElseShouldBeRefusedNamingTheValueAndTheRange(string text)
    {
        Assert.False(ThreadCount.TryParse(text, out _, out var problem));
        Assert.Equal($"\"{text}\" is not a thread count; give a whole number from 0 (every core) to 1024", problem);
    }
}
