using Ose.Tasks.Data;

namespace Ose.Tasks.Tests;

public sealed class SourceParsersTests
{
    [Fact]
    public void The_sentencepiece_rewrite_of_the_vocabulary_is_undone()
    {
        string[] pieces = ["[PAD]", "▁", "[unused1]", "▁the", "ing", "▁straw", "##", "▁!"];
        Assert.Equal("[PAD]\n[unused0]\n[unused1]\nthe\n##ing\nstraw\n####\n!\n", SourceParsers.VocabularyText(pieces));
    }

    [Fact]
    public void Brown_tokens_lose_the_tag_after_their_last_slash_and_quotes_become_plain()
    {
        string text = "\n\n\tThe/at jury/nn said/vbd ``/`` 1/2/cd ''/'' ./.\n\n\tNext/ap line/nn ./.\n";
        Assert.Equal(["The jury said \" 1/2 \" .", "Next line ."], SourceParsers.BrownSentences(text));
    }

    [Fact]
    public void Brown_categories_map_each_file_to_its_genre()
    {
        var genres = SourceParsers.BrownGenres("ca01 news\nck29 fiction\n");
        Assert.Equal("fiction", genres["ck29"]);
        Assert.Equal(2, genres.Count);
    }

    [Fact]
    public void Wordnet_lines_give_the_gloss_and_the_supersense_and_the_licence_header_is_skipped()
    {
        string[] lines =
        [
            "  1 This software and database is being provided to you, the LICENSEE, by",
            "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived or known  ",
            "01817500 38 v 01 go 0 000 | change location; \"the car goes\"",
        ];
        Assert.Equal([("that which is perceived or known", "noun.Tops"), ("change location; \"the car goes\"", "verb.motion")],
            SourceParsers.WordNetGlosses(lines));
        Assert.Equal(45, SourceParsers.LexicographerFiles.Length);
    }

    [Fact]
    public void Sentiment_lines_keep_only_rows_labelled_zero_or_one()
    {
        Assert.Equal([("Good case.", "1"), ("Bad.", "0")], SourceParsers.SentimentLines(["Good case.\t1", "Bad.\t0", "no label", "x\t2"]));
    }

    [Fact]
    public void Chatbot_utterances_carry_their_intent_and_training_flag()
    {
        const string json = """{"sentences":[{"text":"when is the next train","intent":"DepartureTime","entities":[],"training":true},{"text":"to marienplatz","intent":"FindConnection","entities":[],"training":false}]}""";
        Assert.Equal([("when is the next train", "DepartureTime", true), ("to marienplatz", "FindConnection", false)],
            SourceParsers.ChatbotUtterances(json));
    }

    [Fact]
    public void Chatbot_entities_become_spans_of_words_cut_where_an_entity_ends_inside_one()
    {
        // Entity indices count the corpus's tokens: "u-bahn" is u, -, bahn (4..6) and "?" is a token of its own.
        const string json = """
            {"sentences":[{"text":"when does the next u-bahn leaves from garching forschungszentrum?","intent":"DepartureTime",
              "entities":[{"entity":"Vehicle","start":4,"stop":6,"text":"u-bahn"},{"entity":"Criterion","start":3,"stop":3,"text":"next"},
                          {"entity":"StationStart","start":9,"stop":10,"text":"garching forschungszentrum"}],"training":false},
             {"text":"how can i get from garchingto garching?","intent":"FindConnection","entities":[],"training":true}]}
            """;
        var slots = SlotAnnotation.Numbered(["Criterion", "StationStart", "Vehicle"]);

        var utterances = SourceParsers.ChatbotSlots(json).ToArray();

        Assert.Equal("when does the [1 next ] [3 u-bahn ] leaves from [2 garching forschungszentrum ] ?", utterances[0].Utterance.Format(slots));
        Assert.Equal(("DepartureTime", false), (utterances[0].Intent, utterances[0].Training));
        Assert.Equal("how can i get from garchingto garching?", utterances[1].Utterance.Format(slots));
    }

    [Fact]
    public void Chatbot_entity_indices_beyond_the_utterance_are_a_user_error()
    {
        const string json = """{"sentences":[{"text":"to lehel","intent":"FindConnection","entities":[{"entity":"StationDest","start":1,"stop":2,"text":"lehel"}],"training":true}]}""";
        Assert.Throws<UserInputException>(() => SourceParsers.ChatbotSlots(json).ToArray());
    }

    [Fact]
    public void Splits_are_deterministic_disjoint_and_complete()
    {
        var items = Enumerable.Range(0, 1000).ToArray();
        var (a, b) = DataPreparation.Split(items, 0.8);
        var (c, d) = DataPreparation.Split(items, 0.8);

        Assert.Equal(a, c);
        Assert.Equal(b, d);
        Assert.Equal(800, a.Length);
        Assert.Empty(a.Intersect(b));
        Assert.Equal(items, a.Concat(b).Order());
    }

    [Fact]
    public void A_missing_vocabulary_names_the_command_that_prepares_it()
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "ose-no-data-" + Guid.NewGuid().ToString("N")));
        var error = Assert.Throws<UserInputException>(data.RequirePretrainingData);
        Assert.Contains("ose data prepare", error.Message);
    }
}
