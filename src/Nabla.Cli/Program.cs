using System.Globalization;
using Nabla.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Nabla.Cli;

/// <summary>
/// The `nabla` command line. Commands are grouped in branches (`nabla explain backprop`), so `--help` works
/// at every level. Run() takes the consoles explicitly so tests can drive the real command tree in-process.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, StandardOutput(), StandardError());

    /// <summary>Runs the command line; normal output goes to <paramref name="console"/>, errors to <paramref name="errors"/>.</summary>
    public static int Run(IEnumerable<string> args, IAnsiConsole console, IAnsiConsole errors) =>
        Build(console, errors).Run(args);

    public static CommandApp Build(IAnsiConsole console, IAnsiConsole errors)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("nabla");
            config.ConfigureConsole(console);
            config.SetApplicationCulture(CultureInfo.InvariantCulture);
            config.UseStrictParsing();   // an unknown option is an error, not something silently ignored
            config.ValidateExamples();
            config.SetExceptionHandler((ex, _) => ReportError(ex, errors));
            config.Settings.Registrar.RegisterInstance(new ErrorConsole(errors));
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a zoo model on Fashion-MNIST (the full dataset when installed, else the shipped sample), or a language model (char-lm on The Time Machine or any UTF-8 text, word-lm on the Penn Treebank), with live progress; writes the checkpoint, a .json sidecar and a PNG of the learning curves.")
                .WithExample("train", "lenet", "--epochs", "2")
                .WithExample("train", "mlp", "--optimizer", "adam", "--lr", "0.001", "--out", "runs/mlp-adam")
                .WithExample("train", "resnet18-small", "--epochs", "5", "--lr", "0.05", "--augment")
                .WithExample("train", "lenet-modern", "--limit", "2000", "--epochs", "1", "--json")
                .WithExample("train", "char-lm", "--cell", "gru", "--epochs", "20")
                .WithExample("train", "char-lm", "--data", "poems.txt", "--hidden", "128")
                .WithExample("train", "word-lm", "--data", "ptb", "--epochs", "8")
                .WithExample("train", "translate", "--arch", "transformer", "--data", "fra-eng");
            config.AddCommand<GenerateCommand>("generate")
                .WithDescription("Continue a prefix with a language model trained by `nabla train char-lm|word-lm`: greedy, sampled or top-k decoding, seeded.")
                .WithExample("generate", "runs/char-lm/char-lm.safetensors", "--prefix", "time traveller")
                .WithExample("generate", "runs/char-lm/char-lm.safetensors", "--prefix", "the time", "--strategy", "topk", "--top-k", "3", "--seed", "1")
                .WithExample("generate", "runs/word-lm/word-lm.safetensors", "--prefix", "the company said", "--length", "30", "--strategy", "sample", "--temperature", "0.8");
            config.AddCommand<TranslateCommand>("translate")
                .WithDescription("Translate an English sentence with a model trained by `nabla train translate` (beam search), optionally drawing its attention as a heat map.")
                .WithExample("translate", "runs/translate-transformer/translate-transformer.safetensors", "he's calm .")
                .WithExample("translate", "runs/translate-seq2seq-attn/translate-seq2seq-attn.safetensors", "i lost .", "--attention", "attention.png");
            config.AddCommand<VectorsCommand>("vectors")
                .WithDescription("Train word vectors (word2vec, GloVe or fastText) on the Penn Treebank, The Time Machine or any UTF-8 text; prints nearest words and the notes' analogies, writes the vectors (GloVe text format), a .json sidecar and a PNG of the loss.")
                .WithExample("vectors", "glove")
                .WithExample("vectors", "word2vec", "--epochs", "3", "--query", "chip,stock")
                .WithExample("vectors", "fasttext", "--corpus", "timemachine", "--analogy", "man:woman:he");
            config.AddCommand<EvalCommand>("eval")
                .WithDescription("Evaluate a checkpoint written by `nabla train` on the Fashion-MNIST test set: accuracy, confusion matrix, and a PNG grid of misclassified images.")
                .WithExample("eval", "runs/lenet/lenet.safetensors")
                .WithExample("eval", "runs/lenet/lenet.safetensors", "--json");
            config.AddCommand<ModelsCommand>("models")
                .WithDescription("List the model zoo with input sizes and parameter counts.")
                .WithExample("models");
            config.AddBranch("explain", explain =>
            {
                explain.SetDescription("Work through a textbook example step by step with Nabla.");
                explain.AddCommand<ExplainBackpropCommand>("backprop")
                    .WithDescription("The notes' worked back-propagation example (3-2-2 sigmoid network), with every chain-rule factor next to the autograd gradient.")
                    .WithExample("explain", "backprop")
                    .WithExample("explain", "backprop", "--lr", "0.1")
                    .WithExample("explain", "backprop", "--json");
            });
        });
        return app;
    }

    /// <summary>
    /// Usage mistakes (unknown option, bad value, failed validation) print one clear line and exit with 2;
    /// anything else is a bug or an environment problem and exits with 1.
    /// </summary>
    static int ReportError(Exception ex, IAnsiConsole errors)
    {
        if (ex is CommandAppException app)
        {
            // A converter's FormatException says which option and what it expects; Spectre's wrapper only names the type.
            var message = app.InnerException is FormatException format ? format.Message : app.Message;
            if (app.Pretty is { } pretty) errors.Write(pretty);
            else errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
            return 2;
        }
        errors.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
        return 1;
    }

    static IAnsiConsole StandardOutput()
    {
        var console = AnsiConsole.Console;
        // Redirected output (a file, a pipe) has no width of its own; do not wrap tables at the 80-column fallback.
        if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }

    static IAnsiConsole StandardError()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // Notes and --json progress lines name long paths; do not break them at the 80-column fallback of a redirected stream.
        if (Console.IsErrorRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }
}
