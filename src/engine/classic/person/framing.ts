/** Step 4: is the whole body in frame (knees or ankles confidently visible inside the image)? */
import type { Pose } from '../types.ts';

export function detectFraming(pose: Pose, imageHeight: number): 'full_body' | 'half_body' {
  const visible = (name: string, minScore: number, margin: number) => {
    const k = pose.keypoints.find((p) => p.name === name);
    return k !== undefined && k.score >= minScore && k.y < imageHeight * (1 - margin);
  };
  const ankles = visible('left_ankle', 0.4, 0.01) || visible('right_ankle', 0.4, 0.01);
  const knees = visible('left_knee', 0.5, 0.04) && visible('right_knee', 0.5, 0.04);
  return ankles || knees ? 'full_body' : 'half_body';
}
