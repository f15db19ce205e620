using Xunit;
using static TorchSharp.torch;

namespace Ose.Models.Tests;

public class DenseKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Inference_gives_the_hidden_states_of_the_training_path_whatever_the_thread_count(int threads)
    {
        // With 2 threads and gradients off the dense layers run as oneDNN convolutions; with gradients on, as Linear.
        int before = get_num_threads();
        try
        {
            set_num_threads(threads);
            manual_seed(21);
            using var model = new BertModel(Tiny.Config(pooler: true) with { H = 48, A = 4, I = 96 });
            model.eval();
            var ids = randint(4, 100, [3, 13]);
            var mask = ones_like(ids);
            mask[1, TensorIndex.Slice(7)] = 0;

            var trainingPath = model.call(ids, zeros_like(ids), mask).detach();
            Tensor inferencePath;
            using (inference_mode()) inferencePath = model.call(ids, zeros_like(ids), mask).clone();

            Assert.True(inferencePath.allclose(trainingPath, rtol: 0, atol: 1e-5),
                $"max difference {(inferencePath - trainingPath).abs().max().item<float>()}");
            Assert.Equal(trainingPath.shape, inferencePath.shape);
        }
        finally
        {
            set_num_threads(before);
        }
    }
}
