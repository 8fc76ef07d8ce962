using MRISpineSeg.Scoring.Inputs;

namespace MRISpineSeg.Scoring.Tests.Inputs;

public sealed class CaseNamesTests
{
    [Theory]
    [InlineData("Case12.nii.gz", 12)]
    [InlineData("mask_case12.nii.gz", 12)]
    [InlineData("MASK_CASE7.NII", 7)]
    [InlineData("case003.mha", 3)]
    [InlineData("Case1.mhd", 1)]
    public void CaseIdShouldComeFromEitherNamingCaseInsensitively(string name, int expected)
    {
        Assert.True(CaseNames.TryParse(name, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("Case12.png")]
    [InlineData("Case.nii.gz")]
    [InlineData("mycase12.nii.gz")]
    [InlineData("Case12_pred.nii.gz")]
    [InlineData("mask_case-1.nii.gz")]
    public void NamesWithoutACaseIdShouldNotParse(string name) => Assert.False(CaseNames.TryParse(name, out _));
}
