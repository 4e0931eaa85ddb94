using Nabla.Text;

namespace Nabla.Tests.Text;

public class TokenizerTests
{
    [Fact]
    public void CharTokenizerGivesOneTokenPerChineseCharacter()
    {
        var tokens = CharTokenizer.Instance.Tokenize("我爱深度学习。");
        Assert.Equal(["我", "爱", "深", "度", "学", "习", "。"], tokens);
        Assert.Equal("我爱深度学习。", CharTokenizer.Instance.Detokenize(tokens));
    }

    [Fact]
    public void CharTokenizerKeepsCombiningMarksSurrogatePairsAndZwjSequencesWhole()
    {
        string combining = "e\u0301";                     // e + combining acute accent: one user-perceived character
        string rocket = "\U0001F680";                     // outside the BMP: two UTF-16 chars
        string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";   // man ZWJ woman ZWJ girl
        string text = $"a{combining}{rocket} {family}!";
        var tokens = CharTokenizer.Instance.Tokenize(text);
        Assert.Equal(["a", combining, rocket, " ", family, "!"], tokens);
        Assert.Equal(text, CharTokenizer.Instance.Detokenize(tokens));
    }

    [Fact]
    public void CharTokenizerOfEmptyTextIsEmpty() => Assert.Empty(CharTokenizer.Instance.Tokenize(""));

    [Fact]
    public void WordTokenizerSplitsAtAnyWhiteSpaceIncludingNonBreakingSpaces()
    {
        var tok = new WordTokenizer();
        Assert.Equal(["Go", "now!", "Très", "bien"], tok.Tokenize("  Go\tnow!\n Très\u00A0bien\u202F "));
        Assert.Empty(tok.Tokenize(" \n\t "));
    }

    [Fact]
    public void WordTokenizerLowercasesAndSplitsPunctuationLikeTheTranslationPreprocessing()
    {
        var tok = new WordTokenizer(lowercase: true, splitPunctuation: true);
        Assert.Equal(["go", "."], tok.Tokenize("Go."));
        Assert.Equal(["j'ai", "perdu", "!"], tok.Tokenize("J'ai perdu !"));
        Assert.Equal(["hi", ",", "tom", "?"], tok.Tokenize("Hi,Tom?"));
        Assert.Equal(["wait", ".", ".", "."], tok.Tokenize("Wait..."));
        Assert.Equal(["va", "!"], tok.Tokenize("Va\u202F!"));
    }

    [Fact]
    public void WordTokenizerWithoutOptionsKeepsCaseAndPunctuation()
    {
        Assert.Equal(["Hi,Tom?"], new WordTokenizer().Tokenize("Hi,Tom?"));
    }

    [Fact]
    public void WordDetokenizeGluesPunctuationToThePreviousWordAndRoundTrips()
    {
        var tok = new WordTokenizer(splitPunctuation: true);
        string text = "I lost, then I won. Really?";
        var tokens = tok.Tokenize(text);
        Assert.Equal(text, tok.Detokenize(tokens));
        Assert.Equal("a , b", new WordTokenizer().Detokenize(["a", ",", "b"]));
    }

    [Fact]
    public void TimeMachineCleaningTurnsEveryRunOfNonLettersIntoOneSpaceAndLowercases()
    {
        Assert.Equal("the time machine by h g wells ", TextCleaning.TimeMachine("The Time Machine, by H. G. Wells [1898]\n\n\n"));
        Assert.Equal(" it s a b ", TextCleaning.TimeMachine("\n\nIt's--a\r\nB\u00e9"));   // é is not [A-Za-z]
        Assert.Equal("", TextCleaning.TimeMachine(""));
    }

    [Fact]
    public void NullTextIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => CharTokenizer.Instance.Tokenize(null!));
        Assert.Throws<ArgumentNullException>(() => new WordTokenizer().Tokenize(null!));
        Assert.Throws<ArgumentNullException>(() => TextCleaning.TimeMachine(null!));
    }
}
