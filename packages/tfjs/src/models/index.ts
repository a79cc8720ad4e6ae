export { SshPositionEmbedding, type SshPositionEmbeddingArgs } from './position-embedding';
export { SshSelfAttention, type SshSelfAttentionArgs } from './self-attention';
export {
  buildTinyViT,
  buildTinyTextClassifier,
  type TinyViTOptions,
  type TinyTextClassifierOptions,
  type TransformerSizeOptions,
} from './tiny-transformer';
